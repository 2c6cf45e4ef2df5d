package io.miaosha.api.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "miaosha.catalog")
public interface CatalogConfig {

    /** How long a CDN (and a browser) may reuse a catalog answer; units left move fast, so keep it short. */
    @WithDefault("2")
    int maxAgeSeconds();

    /** How long this instance reuses its own last answer, so a crowd refreshing the page costs one query. */
    @WithDefault("PT0.5S")
    Duration localCacheTtl();
}
