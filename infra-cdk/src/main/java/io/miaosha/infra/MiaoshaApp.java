package io.miaosha.infra;

import software.amazon.awscdk.App;

/** {@code cdk synth -c size=dev|prod}: see infra-cdk/README.md for every context value. */
public final class MiaoshaApp {

    private MiaoshaApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        MiaoshaStacks.create(app, AppSettings.fromContext(app.getNode()));
        app.synth();
    }
}
