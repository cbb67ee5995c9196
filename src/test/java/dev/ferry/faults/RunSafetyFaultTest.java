package dev.ferry.faults;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.local.LocalPostgres;
import dev.ferry.local.PostgresBinaries;
import dev.ferry.runtime.JournalEvent;
import dev.ferry.runtime.MigrationRunner;
import dev.ferry.runtime.RunJournal;
import dev.ferry.runtime.RunOptions;
import dev.ferry.runtime.RunReport;
import dev.ferry.runtime.StepRecord;
import dev.ferry.storage.ArtifactFolder;
import dev.ferry.storage.ArtifactLayout;
import dev.ferry.storage.StoredArtifact;
import dev.ferry.storage.WriterLease;
import dev.ferry.testing.FerryProcess;
import dev.ferry.testing.MigrationBed;
import dev.ferry.testing.Outage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults and bad inputs around a run, on real servers and, where a user would meet them, the real
 * command line: two runs of one migration at once (same machine, and "another machine" with its own
 * state folder), locks left by dead runs, a hanging S3 endpoint, a migration file changed before a
 * resume, a copied and damaged artifact, a dry run, and the messages of issue 11's findings.
 */
class RunSafetyFaultTest {

    static MigrationBed bed;

    @BeforeAll
    static void startServers() {
        bed = MigrationBed.start(PostgresBinaries.system(), 2);
    }

    @AfterAll
    static void stopServers() {
        if (bed != null) {
            bed.close();
        }
    }

    static final java.util.Set<String> CHILD_VARIABLES = java.util.Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE",
            "TZ", "TMPDIR", "TERM", "PWD", "OLDPWD", "SHLVL", "_");

    static Path migration(String name, LocalPostgres target, Map<String, String> extra, String moreYaml) {
        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.putAll(extra);
        return bed.migration(name, "postgres-logical", parameters, moreYaml);
    }

    static StepRecord step(RunReport report, String id) {
        return report.steps().stream().filter(s -> s.id.equals(id)).findFirst().orElseThrow();
    }

    static boolean databaseExists(LocalPostgres server, String database) {
        return "1".equals(server.queryValue("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'"));
    }

    static String count(LocalPostgres server, String table) {
        return server.queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM " + table);
    }

    static FerryProcess.Result cli(String name, String... arguments) {
        return FerryProcess.run(bed.folder().resolve("cli-" + name + "-" + System.nanoTime()), Map.of(), List.of(arguments));
    }

    private static List<S3Object> objectsUnder(String prefix) {
        return bed.s3Client().listObjectsV2Paginator(r -> r.bucket(MigrationBed.BUCKET).prefix(prefix)).contents().stream().toList();
    }

    private static String onlyRunId(Path state) throws IOException {
        try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
            List<String> ids = runs.map(p -> p.getFileName().toString()).toList();
            assertThat(ids).hasSize(1);
            return ids.get(0);
        }
    }

    private static void awaitJournal(Path state, String step, String event, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.isDirectory(state.resolve("runs"))) {
                try (Stream<Path> runs = Files.list(state.resolve("runs"))) {
                    for (Path run : runs.toList()) {
                        if (Files.exists(run.resolve(RunJournal.FILE_NAME)) && RunJournal.read(run).stream()
                                .anyMatch(e -> step.equals(e.step()) && event.equals(e.event()))) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(step + " " + event + " not journaled in " + state + " within " + timeout);
    }

    /** Finding 1: a second run of one migration is refused, on this machine by the state lock, from another by the lease. */
    @Test
    void twoRunsOfOneMigrationAtOnceAreRefusedNamingTheRunThatHoldsIt() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("concurrent", target, Map.of("step.verify-versions", "direct:verify-slowly"), """
                - route:
                    id: verify-slowly
                    from:
                      uri: "direct:verify-slowly"
                      steps:
                        - to: "ferry:verify-versions"
                        - to: "class:dev.ferry.testing.Pause?method=forSeconds(25)"
                """);
        Path state = bed.stateDirectory("concurrent");
        Path otherMachine = bed.stateDirectory("concurrent-other-machine");
        CompletableFuture<FerryProcess.Result> first = CompletableFuture.supplyAsync(() ->
                cli("first", "run", file.toString(), "--state-dir", state.toString()));
        awaitJournal(state, "upload", JournalEvent.STEP_FINISHED, Duration.ofSeconds(90));
        String holder = onlyRunId(state);

        FerryProcess.Result sameMachine = cli("second", "run", file.toString(), "--state-dir", state.toString());
        FerryProcess.Result elsewhere = cli("third", "run", file.toString(), "--state-dir", otherMachine.toString());

        assertThat(sameMachine.exitCode()).as(sameMachine.output()).isEqualTo(2);
        assertThat(sameMachine.output()).contains("already running", "run " + holder, "pid ", " since ");
        assertThat(elsewhere.exitCode()).as(elsewhere.output()).isEqualTo(2);
        assertThat(elsewhere.output()).contains("preflight", "writer lease", "run " + holder, "pid ");
        assertThat(elsewhere.output()).doesNotContain("resume with");
        FerryProcess.Result firstResult = first.get();
        assertThat(firstResult.exitCode()).as(firstResult.output()).isZero();

        List<StoredArtifact> artifacts = bed.artifacts().list("tests", MigrationBed.DATABASE);
        assertThat(artifacts).filteredOn(a -> holder.equals(a.folder().run())).hasSize(1)
                .allSatisfy(a -> assertThat(a.complete()).isTrue());
        assertThat(artifacts).allSatisfy(a -> assertThat(a.folder().run()).as("every folder carries its run id").isNotNull());
        assertThat(objectsUnder(WriterLease.key("tests", MigrationBed.DATABASE))).as("the lease is released at the end").isEmpty();
        assertThat(count(target, "orders")).isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
    }

    /** A lock left by a process that died, and a lease that expired, are taken over. */
    @Test
    void aLockLeftByADeadRunAndAnExpiredLeaseAreTakenOver() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("stale-locks", target, Map.of(), null);
        Path state = bed.stateDirectory("stale-locks");
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Files.createDirectories(state.resolve("locks"));
        Files.writeString(state.resolve("locks/stale-locks.lock"), "{\"runId\":\"20200101-000000-dead00\",\"host\":\""
                + InetAddress.getLocalHost().getHostName() + "\",\"pid\":" + dead.pid() + ",\"since\":\"2020-01-01T00:00:00Z\"}");
        String expired = "{\"runId\":\"20200101-000000-dead01\",\"host\":\"elsewhere\",\"pid\":1,"
                + "\"since\":\"2020-01-01T00:00:00Z\",\"expires\":\"2020-01-01T00:02:00Z\"}";
        bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(WriterLease.key("tests", MigrationBed.DATABASE)),
                RequestBody.fromString(expired));

        RunReport report = bed.run(file, state, Map.of(), null, null);

        assertThat(report.status()).as(String.valueOf(report.error())).isEqualTo(RunReport.PASSED);
        assertThat(objectsUnder(WriterLease.key("tests", MigrationBed.DATABASE))).isEmpty();
    }

    /**
     * Finding 9 on a real run: pg_dump and pg_restore, wrapped on the PATH by scripts that record
     * their environment, get their own side's password and nothing of the other side's, of the S3
     * secret key, or of Ferry's environment beyond the clean set.
     */
    @Test
    void eachChildOfARealRunGetsOnlyItsOwnSecret() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path wrappers = Files.createDirectories(bed.folder().resolve("env-wrappers"));
        Path seen = Files.createDirectories(bed.folder().resolve("env-seen"));
        for (String program : List.of("pg_dump", "pg_restore")) {
            Path real = Stream.of(System.getenv("PATH").split(":")).map(folder -> Path.of(folder, program))
                    .filter(Files::isExecutable).findFirst().orElseThrow();
            Path wrapper = wrappers.resolve(program);
            Files.writeString(wrapper, "#!/bin/sh\nenv > '" + seen + "/" + program + "-$$.env'\nexec '" + real + "' \"$@\"\n");
            assertThat(wrapper.toFile().setExecutable(true)).isTrue();
        }
        String sourcePassword = bed.source().password().reveal();
        String targetPassword = target.password().reveal();
        String s3Secret = bed.s3().secretKey().reveal();
        Path file = migration("child-env", target, Map.of("storage.prefix", "child-env"), null);

        FerryProcess.Result run = FerryProcess.run(bed.folder().resolve("child-env-out"),
                Map.of("PATH", wrappers + ":" + System.getenv("PATH"), "AWS_SECRET_ACCESS_KEY", s3Secret,
                        "FERRY_TEST_UNRELATED", "not-for-children"),
                List.of("run", file.toString(), "--state-dir", bed.stateDirectory("child-env").toString()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        Map<String, List<String>> environments = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(seen)) {
            for (Path recorded : files.sorted().toList()) {
                environments.put(recorded.getFileName().toString(), Files.readAllLines(recorded));
            }
        }
        assertThat(environments.keySet()).anyMatch(n -> n.startsWith("pg_dump-")).anyMatch(n -> n.startsWith("pg_restore-"));
        environments.forEach((name, variables) -> {
            String own = name.startsWith("pg_dump-") ? sourcePassword : targetPassword;
            String other = name.startsWith("pg_dump-") ? targetPassword : sourcePassword;
            assertThat(variables).as(name).noneMatch(v -> v.contains(other)).noneMatch(v -> v.contains(s3Secret))
                    .noneMatch(v -> v.startsWith("AWS_") || v.startsWith("FERRY_TEST_UNRELATED="))
                    .filteredOn(v -> v.startsWith("PGPASSWORD=")).allMatch(v -> v.equals("PGPASSWORD=" + own));
            // the clean set, libpq's variables, and what the shell of the wrapper adds itself (PWD, SHLVL, _)
            assertThat(variables).as(name).extracting(v -> v.contains("=") ? v.substring(0, v.indexOf('=')) : v)
                    .allMatch(n -> CHILD_VARIABLES.contains(n) || n.startsWith("LC_") || n.startsWith("PG"));
        });
        assertThat(environments.entrySet()).as("the dump and the restore got their own password")
                .anyMatch(e -> e.getKey().startsWith("pg_dump-") && e.getValue().contains("PGPASSWORD=" + sourcePassword))
                .anyMatch(e -> e.getKey().startsWith("pg_restore-") && e.getValue().contains("PGPASSWORD=" + targetPassword));
    }

    /** Finding 4: an endpoint that accepts connections and never answers fails preflight within its deadline. */
    @Test
    void aHangingS3EndpointFailsPreflightWithinItsDeadline() throws Exception {
        failsPreflightOnAHangingEndpoint("hanging-s3", Map.of("preflight.timeoutSeconds", "3"), 3);
    }

    /** Preflight's own deadline is 30 s unless set. */
    @Test
    void aHangingS3EndpointFailsPreflightWithinTheDefaultThirtySeconds() throws Exception {
        failsPreflightOnAHangingEndpoint("hanging-s3-default", Map.of(), 30);
    }

    private void failsPreflightOnAHangingEndpoint(String name, Map<String, String> settings, int deadlineSeconds) throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> parameters = new LinkedHashMap<>(settings);
            parameters.put("storage.endpoint", "http://127.0.0.1:" + silent.getLocalPort());
            Path file = migration(name, target, parameters, null);

            Instant started = Instant.now();
            RunReport report = bed.run(file, bed.stateDirectory(name), Map.of(), null, null);
            Duration took = Duration.between(started, Instant.now());

            StepRecord preflight = step(report, "preflight");
            assertThat(preflight.status).isEqualTo(StepRecord.Status.FAILED);
            assertThat(preflight.error.code()).isEqualTo("CONNECTION");
            assertThat(preflight.error.what()).contains("did not answer within " + deadlineSeconds + " s");
            assertThat(preflight.error.why()).contains("preflight.timeoutSeconds " + deadlineSeconds);
            assertThat(took).as("the whole run, deadline included")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(deadlineSeconds)).isLessThan(Duration.ofSeconds(deadlineSeconds + 27));
            assertThat(held).as("the endpoint was reached").isNotEmpty();
            assertThat(databaseExists(target, MigrationBed.DATABASE)).isFalse();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Finding 5: resume refuses a changed migration file (exit 2, saying what changed) unless told to accept it. */
    @Test
    void resumeRefusesAChangedMigrationFileSayingWhatChanged() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Map<String, String> extra = Map.of("step.verify-versions", "direct:verify-then-lose-the-target");
        String route = """
                - route:
                    id: verify-then-lose-the-target
                    from:
                      uri: "direct:verify-then-lose-the-target"
                      steps:
                        - to: "ferry:verify-versions"
                        - to: "class:dev.ferry.testing.Outage?method=stopTarget"
                """;
        Path file = migration("changed-file", target, extra, route);
        String original = Files.readString(file);
        Path state = bed.stateDirectory("changed-file");
        Outage.arm(target);
        RunReport failed = bed.run(file, state, Map.of(), null, null);
        assertThat(step(failed, "import").status).isEqualTo(StepRecord.Status.FAILED);
        target.restart();

        Map<String, String> changed = new LinkedHashMap<>(extra);
        changed.put("source.database", "postgres");
        migration("changed-file", target, changed, route);
        FerryProcess.Result refused = cli("changed", "resume", failed.runId(), "--state-dir", state.toString());

        assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
        assertThat(refused.output()).contains("changed since run " + failed.runId(), "source.database: shop -> postgres",
                "--accept-changed-file");
        assertThat(databaseExists(target, MigrationBed.DATABASE)).isFalse();

        Files.writeString(file, original, StandardCharsets.UTF_8);
        RunReport resumed = bed.resume(failed.runId(), state);
        assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
        assertThat(count(target, "orders")).isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
    }

    /** Finding 6: a copied artifact is imported from its own objects; damage in the copy is caught. */
    @Test
    void aCopiedArtifactIsReadFromItsOwnFolderAndItsDamageIsCaught() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("relocated", target, Map.of(), null);
        RunReport uploaded = bed.run(file, bed.stateDirectory("relocated"), Map.of(), null, "upload");
        ArtifactFolder original = ArtifactLayout.parse(uploaded.artifact().replace("s3://" + MigrationBed.BUCKET + "/", "")).orElseThrow();
        String manifest = bed.s3Client().getObjectAsBytes(r -> r.bucket(MigrationBed.BUCKET).key(original.manifestKey())).asUtf8String();
        assertThat(manifest).as("keys relative to the folder").contains("\"key\" : \"database.dump.zst\"").doesNotContain(original.path());
        String damaged = copy(original, "copies/damaged");
        String intact = copy(original, "copies/intact");
        byte[] bytes = bed.s3Client().getObjectAsBytes(r -> r.bucket(MigrationBed.BUCKET).key(damaged + "database.dump.zst")).asByteArray();
        bytes[bytes.length / 2] ^= 0x5A;
        bed.s3Client().putObject(r -> r.bucket(MigrationBed.BUCKET).key(damaged + "database.dump.zst"), RequestBody.fromBytes(bytes));

        RunReport refused = bed.run(file, bed.stateDirectory("relocated"), Map.of("artifact", "s3://" + MigrationBed.BUCKET + "/" + damaged),
                "verify-versions", null);
        assertThat(step(refused, "import").error.code()).isEqualTo("CHECKSUM_MISMATCH");
        assertThat(step(refused, "import").error.what() + step(refused, "import").error.why()).contains("copies/damaged");
        assertThat(databaseExists(target, MigrationBed.DATABASE)).isFalse();

        RunReport imported = bed.run(file, bed.stateDirectory("relocated"), Map.of("artifact", "s3://" + MigrationBed.BUCKET + "/" + intact),
                "verify-versions", null);
        assertThat(imported.status()).as(String.valueOf(imported.error())).isEqualTo(RunReport.PASSED);
    }

    private static String copy(ArtifactFolder from, String prefix) {
        String to = prefix + "/" + from.database() + "/" + from.name() + "/";
        for (S3Object object : objectsUnder(from.path())) {
            String name = object.key().substring(from.path().length());
            bed.s3Client().copyObject(r -> r.sourceBucket(MigrationBed.BUCKET).sourceKey(object.key())
                    .destinationBucket(MigrationBed.BUCKET).destinationKey(to + name));
        }
        return to;
    }

    /** Finding 8: preflight creates nothing, and a dry run changes nothing anywhere. */
    @Test
    void aDryRunAndAFailedPreflightChangeNothingAnywhere() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("dry-run", target, Map.of(), null);
        int objectsBefore = objectsUnder("").size();

        RunReport dry = new MigrationRunner(new RunOptions(MigrationBed.HOME, bed.stateDirectory("dry-run"), Map.of(), null, null,
                true, null, null, null)).run(file);
        RunReport noBucket = bed.run(file, bed.stateDirectory("dry-run"), Map.of("storage.bucket", "no-such-bucket"), null, null);

        assertThat(dry.status()).as(String.valueOf(dry.error())).isEqualTo(RunReport.PASSED);
        assertThat(step(dry, "dump").status).isIn(StepRecord.Status.SKIPPED, StepRecord.Status.PENDING);
        assertThat(step(noBucket, "preflight").status).isEqualTo(StepRecord.Status.FAILED);
        assertThat(databaseExists(target, MigrationBed.DATABASE)).isFalse();
        assertThat(objectsUnder("")).hasSize(objectsBefore);
    }

    /** Finding 11: a refused S3 key, a wrong target password, a failure before any connection, an unreadable state folder. */
    @Test
    void messagesNameWhatIsWrong() throws IOException {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path wrongKey = bed.secretFile("wrong-s3-key", "not-the-secret-key");
        RunReport refusedKey = bed.run(migration("wrong-s3-key", target, Map.of("storage.secretKeyFile", wrongKey.toString()), null),
                bed.stateDirectory("messages"), Map.of(), null, null);
        StepRecord keyFailure = step(refusedKey, "preflight");
        assertThat(keyFailure.error.code()).isEqualTo("CREDENTIALS");
        assertThat(keyFailure.error.what()).contains("refused access").doesNotContain("cannot be reached");
        assertThat(keyFailure.error.why()).contains("access key " + bed.s3().accessKey(), "HTTP 403").doesNotContain("not-the-secret-key");

        Path wrongPassword = bed.secretFile("wrong-target-password", "not-the-password");
        RunReport refusedLogin = bed.run(migration("wrong-password", target, Map.of("target.passwordFile", wrongPassword.toString()), null),
                bed.stateDirectory("messages"), Map.of(), null, null);
        StepRecord loginFailure = step(refusedLogin, "preflight");
        assertThat(loginFailure.error.code()).isEqualTo("CREDENTIALS");
        assertThat(loginFailure.error.what()).contains(":" + target.port() + "/shop").doesNotContain(":" + target.port() + "/postgres");

        Map<String, String> parameters = new LinkedHashMap<>(bed.settings(target));
        parameters.remove("target.passwordFile");
        parameters.put("target.password", "{{env:FERRY_NO_SUCH_VARIABLE}}");
        Path unresolved = bed.migration("no-such-variable", "postgres-logical", parameters, null);
        FerryProcess.Result beforeConnecting = cli("unresolved", "run", unresolved.toString(), "--state-dir",
                bed.stateDirectory("messages").toString());
        assertThat(beforeConnecting.exitCode()).as(beforeConnecting.output()).isEqualTo(2);
        assertThat(beforeConnecting.output()).contains("FERRY_NO_SUCH_VARIABLE").doesNotContain("resume with");

        Path notAFolder = Files.writeString(bed.folder().resolve("state-is-a-file"), "x");
        FerryProcess.Result runs = cli("runs", "runs", "--state-dir", notAFolder.toString());
        assertThat(runs.exitCode()).as(runs.output()).isEqualTo(2);
        assertThat(runs.output()).contains("is not a folder").doesNotContain("No runs");
    }

    /** Finding 10 (reading): a torn last line is skipped and the next line starts on a line of its own. */
    @Test
    void aTornJournalLineIsSkippedAndNeverGluedToTheNext() throws IOException {
        Path run = Files.createDirectories(bed.folder().resolve("torn/runs/20260101-000000-abcdef"));
        try (RunJournal journal = RunJournal.open(run)) {
            journal.append(new JournalEvent(JournalEvent.RUN_RESUMED, Instant.now(), null, null, null, null, null, null, null, null));
        }
        Files.writeString(run.resolve(RunJournal.FILE_NAME), "{\"event\":\"step-sta", java.nio.file.StandardOpenOption.APPEND);
        try (RunJournal journal = RunJournal.open(run)) {
            journal.append(new JournalEvent(JournalEvent.RUN_FINISHED, Instant.now(), null, null, null, null, null, null, "failed", null));
        }
        List<String> lines = Files.readAllLines(run.resolve(RunJournal.FILE_NAME));
        assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{\"event\"").endsWith("}"));
        assertThat(RunJournal.read(run)).extracting(JournalEvent::event).containsExactly(JournalEvent.RUN_RESUMED, JournalEvent.RUN_FINISHED);
    }

    /** A second in-process run of the same migration is refused too (the state lock also guards one JVM). */
    @Test
    void theStateLockAlsoHoldsWithinOneProcess() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("in-process", target, Map.of(), null);
        Path state = bed.stateDirectory("in-process");
        try (dev.ferry.runtime.RunLock held = dev.ferry.runtime.RunLock.acquire(state, "in-process", "20260101-000000-aaaaaa")) {
            assertThatThrownBy(() -> bed.run(file, state, Map.of(), null, null))
                    .isInstanceOfSatisfying(FerryException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.RUN_LOCKED);
                        assertThat(e.why()).contains("run 20260101-000000-aaaaaa", "pid " + ProcessHandle.current().pid());
                    });
        }
        assertThat(bed.run(file, state, Map.of(), null, "preflight").status()).isEqualTo(RunReport.PARTIAL);
    }

    /** Finding 10 (writing): a full state folder stops the run with whole journal lines and a clear error; the run resumes. */
    @Test
    void aFullStateFolderStopsTheRunCleanlyAndTheRunResumesOnceThereIsRoom() throws Exception {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("full-disk", target, Map.of(), null);
        Path state = Files.createDirectories(bed.folder().resolve("full-state"));
        mount(state, "64k");
        try {
            // room for the lock file and the journal's first page, not for the whole run
            Path filler = state.resolve("filler");
            Files.write(filler, new byte[56 * 1024]);

            RunReport failed = bed.run(file, state, Map.of(), null, null);

            assertThat(failed.status()).isEqualTo(RunReport.FAILED);
            assertThat(failed.error().what()).contains("Cannot write the run journal");
            assertThat(failed.error().why()).contains("full");
            assertThat(failed.error().next()).contains("ferry resume " + failed.runId());
            Path journal = state.resolve("runs").resolve(failed.runId()).resolve(RunJournal.FILE_NAME);
            List<String> lines = Files.readAllLines(journal);
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
            assertThat(RunJournal.read(journal.getParent())).hasSize(lines.size());

            Files.delete(filler);
            RunReport resumed = bed.resume(failed.runId(), state);

            assertThat(resumed.status()).as(String.valueOf(resumed.error())).isEqualTo(RunReport.PASSED);
            assertThat(count(target, "orders")).isEqualTo(bed.source().queryValue(MigrationBed.DATABASE, "SELECT count(*) FROM orders"));
        } finally {
            new ProcessBuilder("umount", state.toString()).inheritIO().start().waitFor();
        }
    }

    private static void mount(Path folder, String size) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", folder.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mount.waitFor()).as("a small tmpfs for the state folder (the tests run as root): " + output).isZero();
    }

    /** Finding 7: `ferry storage cleanup FILE` lists and aborts the unfinished uploads under the migration's prefix. */
    @Test
    void storageCleanupListsAndAbortsUnfinishedUploads() {
        LocalPostgres target = bed.newTarget(PostgresBinaries.system());
        Path file = migration("cleanup", target, Map.of("storage.prefix", "cleanup"), null);
        String key = "cleanup/shop/20260101T000000Z-20260101-000000-dead02/database.dump.zst";
        String uploadId = bed.s3Client().createMultipartUpload(r -> r.bucket(MigrationBed.BUCKET).key(key)).uploadId();
        bed.s3Client().uploadPart(r -> r.bucket(MigrationBed.BUCKET).key(key).uploadId(uploadId).partNumber(1),
                RequestBody.fromBytes(new byte[1024]));

        FerryProcess.Result listed = cli("cleanup-list", "storage", "cleanup", file.toString(), "--list");
        assertThat(listed.exitCode()).as(listed.output()).isZero();
        assertThat(listed.stdout()).contains(key, uploadId, "1 unfinished upload(s)");
        assertThat(bed.s3Client().listMultipartUploads(r -> r.bucket(MigrationBed.BUCKET).prefix("cleanup/")).uploads()).hasSize(1);

        FerryProcess.Result aborted = cli("cleanup", "storage", "cleanup", file.toString());
        assertThat(aborted.exitCode()).as(aborted.output()).isZero();
        assertThat(aborted.stdout()).contains("aborted", key);
        assertThat(bed.s3Client().listMultipartUploads(r -> r.bucket(MigrationBed.BUCKET).prefix("cleanup/")).uploads()).isEmpty();
    }
}
