package org.trustnet.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Runs a Neo4j Community DBMS with Bolt on 127.0.0.1 only, for TrustNet's Neo4j engine.
 *
 * <p>Usage: {@code Launcher DATA_DIR [PORT]} (or env NEO4J_DATA_DIR, NEO4J_PORT; port 0 lets the
 * OS choose). The password comes from env NEO4J_PASSWORD, never from the command line, so that it
 * does not show in the process list. Optional env: NEO4J_PAGECACHE (default 512m),
 * NEO4J_TX_TIMEOUT (default 120s), NEO4J_EXIT_ON_STDIN_EOF=1 (stop when the parent goes away).
 *
 * <p>When Bolt accepts connections it prints exactly one line, {@code neo4j://127.0.0.1:PORT},
 * to stdout; everything else goes to stderr or to DATA_DIR/logs. SIGTERM/SIGINT shut the DBMS
 * down cleanly and exit with status 0.
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";
    /** Exit status of the shutdown hook: 0 for a requested stop, 1 after a failed start. */
    private static volatile int exitStatus = 0;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        // Only the URI line may reach stdout: whatever a library prints goes to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);

        Path home = Path.of(arg(args, 0, "NEO4J_DATA_DIR", null)).toAbsolutePath();
        int port = Integer.parseInt(arg(args, 1, "NEO4J_PORT", "7687"));
        String password = System.getenv("NEO4J_PASSWORD");
        if (password == null || password.isEmpty()) {
            fail("NEO4J_PASSWORD is not set");
        }
        long pageCache = SettingValueParsers.BYTES.parse(env("NEO4J_PAGECACHE", "512m"));
        Duration txTimeout = SettingValueParsers.DURATION.parse(env("NEO4J_TX_TIMEOUT", "120s"));
        Files.createDirectories(home);
        long jvmReady = uptime();

        DatabaseManagementService dbms = null;
        try {
            dbms = configure(new DatabaseManagementServiceBuilder(home), port, pageCache, txTimeout)
                    .build();
        } catch (Throwable t) {
            startFailed(t);
        }
        long dbmsReady = uptime();

        CountDownLatch stopped = new CountDownLatch(1);
        DatabaseManagementService started = dbms;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long t0 = System.nanoTime();
            System.err.printf("trustnet-neo4j: stopping (uptime %d ms)%n", uptime());
            try {
                started.shutdown();
                System.err.printf("trustnet-neo4j: stopped in %d ms%n",
                        (System.nanoTime() - t0) / 1_000_000);
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                stopped.countDown();
            }
            // Stopped on purpose (SIGTERM, SIGINT, stdin EOF): that is a clean exit, not 143/130.
            Runtime.getRuntime().halt(exitStatus);
        }, "neo4j-shutdown"));

        try {
            GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
            GraphDatabaseService neo4j = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            if (!system.isAvailable(120_000) || !neo4j.isAvailable(120_000)) {
                throw new IllegalStateException("databases did not become available");
            }
            long dbsReady = uptime();
            setPassword(system, password);
            long passwordSet = uptime();
            int boltPort = boltPort(system, port);
            waitForBolt(boltPort);
            stdout.println("neo4j://" + HOST + ":" + boltPort);
            stdout.flush();
            System.err.printf("trustnet-neo4j: Neo4j %s ready on %s:%d after %d ms"
                    + " (JVM %d, DBMS %d, databases %d, password %d)%n", neo4jVersion(), HOST,
                    boltPort, uptime(), jvmReady, dbmsReady, dbsReady, passwordSet);
        } catch (Throwable t) {
            startFailed(t); // the shutdown hook stops the DBMS
        }

        if ("1".equals(System.getenv("NEO4J_EXIT_ON_STDIN_EOF"))) {
            Thread watcher = new Thread(() -> {
                drain(System.in);
                System.err.println("stdin closed: stopping Neo4j");
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    /** Bolt on 127.0.0.1 only, auth on, no HTTP, and nothing a development server needs not. */
    private static DatabaseManagementServiceBuilder configure(
            DatabaseManagementServiceBuilder builder, int port, long pageCache, Duration txTimeout) {
        return builder
                .setUserLogProvider(new Log4jLogProvider(System.err, Level.WARN))
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(BoltConnector.server_bolt_telemetry_enabled, false)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache)
                .setConfig(GraphDatabaseSettings.transaction_timeout, txTimeout)
                // Time limits are checked every 2 s by default: a 500 ms limit would hold
                // only to the next check.
                .setConfig(GraphDatabaseSettings.transaction_monitor_check_interval,
                        Duration.ofMillis(100))
                .setConfig(GraphDatabaseSettings.lock_acquisition_timeout, Duration.ofSeconds(30))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout,
                        Duration.ofSeconds(5))
                // Bolt waits 5 s "quiet" + up to 15 s by default when it stops: make stop fast.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout,
                        Duration.ofSeconds(3))
                // Nothing phones home; no threads or disk space for what a dev server needs not.
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.udc_network_enabled, false)
                .setConfig(GraphDatabaseSettings.filewatcher_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_warmup_enabled, false)
                .setConfig(GraphDatabaseInternalSettings.vm_pause_monitor_enabled, false)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.logical_log_rotation_threshold, 64L << 20);
    }

    /** Sets the neo4j user's password and clears "change required"; safe to repeat. */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one it already has.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
            system.executeTransactionally("ALTER USER neo4j SET PASSWORD CHANGE NOT REQUIRED");
        }
    }

    /** The port Bolt really listens on (differs from the requested one when that was 0). */
    private static int boltPort(GraphDatabaseService db, int requested) {
        ConnectorPortRegister ports = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class);
        HostnamePort bound = ports.getLocalAddress(ConnectorType.BOLT);
        return bound != null ? bound.getPort() : requested;
    }

    /** Waits until a TCP connection to Bolt succeeds, so the URI line means "ready". */
    private static void waitForBolt(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Bolt does not accept connections on " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    private static long uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    private static String neo4jVersion() {
        String v = org.neo4j.kernel.internal.Version.getNeo4jVersion();
        return v == null ? "?" : v;
    }

    private static void drain(InputStream in) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // ignore input; only EOF matters
            }
        } catch (IOException ignored) {
            // a broken stdin means the parent is gone, too
        }
    }

    private static String arg(String[] args, int i, String envName, String fallback) {
        String value = args.length > i ? args[i] : env(envName, fallback);
        if (value == null) {
            fail("usage: Launcher DATA_DIR [PORT]  (or env NEO4J_DATA_DIR, NEO4J_PORT)");
        }
        return value;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static void fail(String message) {
        System.err.println("trustnet-neo4j: " + message);
        exitStatus = 2;
        System.exit(2);
    }

    /** Prints the trace, then the root cause last, where a tail of the log shows it. */
    private static void startFailed(Throwable t) {
        t.printStackTrace();
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        System.err.println("trustnet-neo4j: failed to start: " + root);
        exitStatus = 1;
        System.exit(1);
    }
}
