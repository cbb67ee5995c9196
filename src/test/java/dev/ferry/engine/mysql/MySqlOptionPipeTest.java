package dev.ferry.engine.mysql;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipe folders a SIGKILLed Ferry leaves are removed by a later Ferry, a live process's never. */
class MySqlOptionPipeTest {

    @TempDir
    Path temp;

    @Test
    void removesOnlyThePipeFoldersOfProcessesThatAreGone() throws Exception {
        long dead = deadPid();
        Process live = new ProcessBuilder("sleep", "60").start();
        try {
            Path ofDead = pipeFolder("ferry-mysql-" + dead + "-4711");
            Path ofLive = pipeFolder("ferry-mysql-" + live.pid() + "-4712");
            Path ofThisProcess = pipeFolder("ferry-mysql-" + ProcessHandle.current().pid() + "-4713");
            Path olderName = pipeFolder("ferry-mysql-4714");
            Path notOnlyAPipe = pipeFolder("ferry-mysql-" + dead + "-4715");
            Files.writeString(notOnlyAPipe.resolve("notes.txt"), "not Ferry's");
            Path someoneElses = pipeFolder("other-mysql-" + dead + "-4716");

            assertThat(MySqlOptionPipe.removeLeftovers(temp)).isEqualTo(1);

            assertThat(ofDead).doesNotExist();
            assertThat(List.of(ofLive, ofThisProcess, olderName, notOnlyAPipe, someoneElses)).allMatch(Files::isDirectory);
            assertThat(ofLive.resolve("client.cnf")).exists();
        } finally {
            live.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPipeFolderIsNamedForItsProcessAndGoneOnceRead() throws IOException {
        MySqlOptionPipe pipe = MySqlOptionPipe.open("[client]\nuser=test\n");
        Path folder = pipe.path().getParent();
        assertThat(folder.getFileName().toString()).startsWith("ferry-mysql-" + ProcessHandle.current().pid() + "-");

        MySqlOptionPipe.removeLeftovers(folder.getParent());
        assertThat(pipe.path()).as("a live run's pipe stays").exists();
        assertThat(Files.readString(pipe.path())).isEqualTo("[client]\nuser=test\n");
        pipe.close();

        assertThat(folder).doesNotExist();
    }

    /** A pid no process has any more: that of a child that ended. */
    private static long deadPid() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        assertThat(ended.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(ended.pid())).isEmpty();
        return ended.pid();
    }

    /** A 0700 folder with a named pipe {@code client.cnf}, as {@link MySqlOptionPipe} makes them. */
    private Path pipeFolder(String name) throws Exception {
        Path folder = Files.createDirectory(temp.resolve(name),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", folder.resolve("client.cnf").toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        return folder;
    }
}
