package io.miaosha.infra.services;

import software.amazon.awscdk.services.ec2.UserData;

import java.util.ArrayList;
import java.util.List;

/**
 * The user data of a service instance: download the native binary of one release, write its
 * environment, and run it under systemd as an unprivileged user that systemd restarts.
 * Secrets are read from Secrets Manager at boot so that they never appear in the template or in
 * the launch template's user data; the environment file is readable by root only.
 */
public final class BootScript {

    /** Key files: the service's user may read them; the environment file stays root's alone. */
    static final String KEY_DIR = "/etc/miaosha-keys";

    private final String service;
    private final String binaryUrl;
    private final String region;
    private final List<String> plainEnv = new ArrayList<>();
    private final List<String> secretEnv = new ArrayList<>();

    private BootScript(String service, String binaryUrl, String region) {
        this.service = service;
        this.binaryUrl = binaryUrl;
        this.region = region;
    }

    /** Binaries are published per release as {@code <service>-linux-amd64} (see native.yml). */
    public static BootScript forService(String service, String releaseBaseUrl, String releaseVersion, String region) {
        return new BootScript(service, releaseBaseUrl + "/" + releaseVersion + "/" + service + "-linux-amd64", region);
    }

    public BootScript env(String name, String value) {
        plainEnv.add(name + "=" + value);
        return this;
    }

    /** A variable whose value is a whole secret string. */
    public BootScript secret(String name, String secretArn) {
        secretEnv.add("echo \"" + name + "=$(secret '" + secretArn + "')\" >> \"$ENV_FILE\"");
        return this;
    }

    /**
     * A file holding a whole secret string (a PEM key), readable by the service's user only, and a
     * variable naming the file. A secret the operator has not filled yet is written as it is: the
     * service refuses to start on it and says which setting is wrong, and systemd keeps trying.
     */
    public BootScript secretFile(String name, String secretArn, String fileName) {
        String file = KEY_DIR + "/" + fileName;
        secretEnv.add("secret '" + secretArn + "' > " + file + " && chown root:miaosha " + file + " && chmod 0440 " + file);
        secretEnv.add("grep -q 'BEGIN' " + file + " || echo \"miaosha: secret " + secretArn + " holds no PEM yet; "
                + "put the key in it (infra-cdk/README.md)\" | systemd-cat -p err");
        plainEnv.add(name + "=" + file);
        return this;
    }

    /** A variable whose value is one field of a JSON secret (the RDS credentials). */
    public BootScript secretField(String name, String secretArn, String field) {
        secretEnv.add("echo \"" + name + "=$(secret '" + secretArn + "' | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"" + field + "\"])')\" >> \"$ENV_FILE\"");
        return this;
    }

    public UserData toUserData() {
        UserData userData = UserData.forLinux();
        List<String> lines = new ArrayList<>(List.of(
                "set -euo pipefail",
                "SERVICE=" + service,
                "ENV_FILE=/etc/miaosha/$SERVICE.env",
                "id miaosha >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin miaosha",
                "install -d -m 0755 /opt/miaosha && install -d -m 0700 /etc/miaosha",
                "install -d -m 0750 -o root -g miaosha " + KEY_DIR,
                "curl -fsSL --retry 5 -o /opt/miaosha/$SERVICE '" + binaryUrl + "'",
                "chmod 0755 /opt/miaosha/$SERVICE",
                "secret() { aws secretsmanager get-secret-value --region '" + region + "' --secret-id \"$1\" --query SecretString --output text; }",
                "umask 077",
                ": > \"$ENV_FILE\""));
        for (String line : plainEnv) {
            lines.add("echo '" + line + "' >> \"$ENV_FILE\"");
        }
        lines.addAll(secretEnv);
        lines.add("cat > /etc/systemd/system/miaosha-$SERVICE.service <<UNIT\n" + unit() + "UNIT");
        lines.add("systemctl daemon-reload");
        lines.add("systemctl enable --now miaosha-$SERVICE");
        userData.addCommands(lines.toArray(String[]::new));
        return userData;
    }

    // The gateway holds one socket per waiting shopper, hence the high file limit for every service.
    private String unit() {
        return """
                [Unit]
                Description=Miaosha $SERVICE
                After=network-online.target
                Wants=network-online.target

                [Service]
                User=miaosha
                EnvironmentFile=$ENV_FILE
                ExecStart=/opt/miaosha/$SERVICE
                Restart=always
                RestartSec=2
                LimitNOFILE=1048576
                NoNewPrivileges=true
                ProtectSystem=strict
                ProtectHome=true
                PrivateTmp=true

                [Install]
                WantedBy=multi-user.target
                """;
    }
}
