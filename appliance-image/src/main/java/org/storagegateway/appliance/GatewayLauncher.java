package org.storagegateway.appliance;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import org.storagegateway.gateway.Appliance;
import org.storagegateway.gateway.config.ApplianceSettings;
import org.storagegateway.gateway.config.ConfigException;
import org.storagegateway.gateway.config.ConfigLoader;

/** The appliance's command line: {@code gateway run --config FILE}. */
@Command(name = "gateway", mixinStandardHelpOptions = true, version = "storage gateway 0.1.0",
        description = "A storage gateway appliance: iSCSI volumes and a virtual tape library.",
        subcommands = GatewayLauncher.Run.class)
public final class GatewayLauncher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayLauncher.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new GatewayLauncher()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. run");
    }

    /** Runs the appliance until SIGTERM or Ctrl-C. */
    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the appliance in the foreground.")
    static final class Run implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, required = true, description = "The configuration file (YAML).")
        Path config;

        @Option(names = "--bind", description = "Listen on this address instead of the file's portal.bind.")
        String bind;

        @Option(names = "--port", description = "Listen on this port instead of the file's portal.port (0: any).")
        Integer port;

        @Option(names = "--data-dir", description = "Keep data here instead of the file's dataDirectory.")
        Path dataDirectory;

        @Override
        public Integer call() throws InterruptedException {
            ApplianceSettings settings;
            try {
                settings = new ConfigLoader().load(config);
            } catch (ConfigException e) {
                System.err.println("gateway: the configuration cannot run:");
                e.problems().forEach(problem -> System.err.println("  " + e.getMessage().split(": ")[0] + ": "
                        + problem));
                return 2;
            }
            if (bind != null || port != null) {
                settings = settings.withPortal(bind != null ? bind : settings.bindAddress(),
                        port != null ? port : settings.port());
            }
            if (dataDirectory != null) {
                settings = settings.withDataDirectory(dataDirectory.toAbsolutePath());
            }
            Appliance appliance;
            try {
                appliance = Appliance.start(settings);
            } catch (RuntimeException e) {
                LOG.error("gateway: cannot start: {}", e.getMessage(), e);
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("Shutting down");
                appliance.close();
                stopped.countDown();
            }, "gateway-shutdown"));
            stopped.await();
            return 0;
        }
    }
}
