-- Runs once, when the writer's data directory is created. The replica connects as this user.
CREATE USER IF NOT EXISTS 'replicator'@'%' IDENTIFIED BY 'replicator';
GRANT REPLICATION SLAVE ON *.* TO 'replicator'@'%';
CREATE DATABASE IF NOT EXISTS miaosha_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON miaosha_test.* TO 'miaosha'@'%';
-- The services' user (created by the image from MYSQL_USER): the native plugin, see writer.cnf.
ALTER USER 'miaosha'@'%' IDENTIFIED WITH mysql_native_password BY 'miaosha';
