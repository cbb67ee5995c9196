package dev.ferry.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a program can be started: a path that is executable, or a bare name found on PATH. */
final class ProgramPath {

    private ProgramPath() {
    }

    static boolean exists(String program, String path, Path workingDirectory) {
        if (program.contains("/")) {
            Path file = Path.of(program);
            if (!file.isAbsolute() && workingDirectory != null) {
                file = workingDirectory.resolve(file);
            }
            return Files.isExecutable(file);
        }
        if (path == null) {
            return false;
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, program))) {
                return true;
            }
        }
        return false;
    }
}
