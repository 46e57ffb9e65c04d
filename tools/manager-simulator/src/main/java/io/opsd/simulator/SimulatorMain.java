package io.opsd.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Optional;

/** {@code java -jar opsd-manager-simulator.jar [options]}: runs until SIGTERM or Ctrl-C. */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Optional<SimulatorOptions> parsed;
        try {
            parsed = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("manager simulator: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.isEmpty()) {
            System.out.println(SimulatorOptions.USAGE);
            return;
        }
        SimulatorOptions options = parsed.get();
        ManagerSimulator simulator;
        try {
            simulator = new ManagerSimulator(options, Clock.systemUTC()).start();
            String ports = simulator.portsLine();
            if (options.portsFile() != null) {
                writeAtomically(options.portsFile(), ports + "\n");
            }
            System.out.println(ports);
            System.out.flush();
        } catch (IOException e) {
            System.err.println("manager simulator: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "simulator-shutdown"));
        simulator.awaitTermination();
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("cannot write --ports-file " + file + ": " + e, e);
        }
    }
}
