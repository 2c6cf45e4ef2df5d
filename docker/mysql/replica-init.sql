-- Runs once, when the replica's data directory is created: follow the writer from its first GTID.
-- START REPLICA keeps retrying until the writer accepts the connection.
CHANGE REPLICATION SOURCE TO
  SOURCE_HOST = 'mysql-writer',
  SOURCE_PORT = 3306,
  SOURCE_USER = 'replicator',
  SOURCE_PASSWORD = 'replicator',
  SOURCE_AUTO_POSITION = 1,
  GET_SOURCE_PUBLIC_KEY = 1,
  SOURCE_CONNECT_RETRY = 5;
START REPLICA;
