package dev.ferry.storage;

import dev.ferry.local.LocalS3Server;
import software.amazon.awssdk.services.s3.S3Client;

import java.util.Locale;
import java.util.UUID;

/** One local S3 server for all storage tests of a run; its shutdown hook stops it at the end. */
final class SharedLocalS3 {

    private static LocalS3Server server;
    private static S3Client client;

    private SharedLocalS3() {
    }

    static synchronized LocalS3Server server() {
        if (server == null) {
            server = LocalS3Server.start();
        }
        return server;
    }

    static synchronized S3Client client() {
        if (client == null) {
            client = S3ClientFactory.create(server().httpSettings("unused"));
        }
        return client;
    }

    /** A fresh bucket, so tests do not see each other's objects. */
    static String newBucket() {
        String bucket = "t-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        server().createBucket(bucket);
        return bucket;
    }
}
