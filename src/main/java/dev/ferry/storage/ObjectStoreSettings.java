package dev.ferry.storage;

import dev.ferry.credentials.Secret;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where artifacts live and how to reach them. {@code endpoint} null means AWS itself; a
 * {@code caBundle} replaces the default trusted CAs; {@code accessKey} null means the AWS default
 * credential chain (environment, profile, instance role).
 */
public record ObjectStoreSettings(URI endpoint, String region, String bucket, String prefix, String accessKey,
                                  Secret secretKey, boolean pathStyle, Path caBundle, boolean verifyTls) {

    public static final String DEFAULT_REGION = "us-east-1";

    public ObjectStoreSettings {
        Objects.requireNonNull(bucket, "bucket");
        region = region == null || region.isBlank() ? DEFAULT_REGION : region;
        prefix = ArtifactLayout.normalisePrefix(prefix);
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("access key and secret key go together");
        }
    }

    /** Settings with the defaults: region us-east-1, no prefix, path-style when an endpoint is given, TLS verified. */
    public static ObjectStoreSettings of(URI endpoint, String bucket, String accessKey, Secret secretKey) {
        return new ObjectStoreSettings(endpoint, DEFAULT_REGION, bucket, "", accessKey, secretKey, endpoint != null, null, true);
    }

    public ObjectStoreSettings withPrefix(String otherPrefix) {
        return new ObjectStoreSettings(endpoint, region, bucket, otherPrefix, accessKey, secretKey, pathStyle, caBundle, verifyTls);
    }

    public ObjectStoreSettings withRegion(String otherRegion) {
        return new ObjectStoreSettings(endpoint, otherRegion, bucket, prefix, accessKey, secretKey, pathStyle, caBundle, verifyTls);
    }

    public ObjectStoreSettings withBucket(String otherBucket) {
        return new ObjectStoreSettings(endpoint, region, otherBucket, prefix, accessKey, secretKey, pathStyle, caBundle, verifyTls);
    }

    public ObjectStoreSettings withPathStyle(boolean usePathStyle) {
        return new ObjectStoreSettings(endpoint, region, bucket, prefix, accessKey, secretKey, usePathStyle, caBundle, verifyTls);
    }

    public ObjectStoreSettings withCaBundle(Path bundle) {
        return new ObjectStoreSettings(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, bundle, verifyTls);
    }

    public ObjectStoreSettings withVerifyTls(boolean verify) {
        return new ObjectStoreSettings(endpoint, region, bucket, prefix, accessKey, secretKey, pathStyle, caBundle, verify);
    }

    /** Safe to show: the access key id but never the secret key. */
    public String describe() {
        StringBuilder text = new StringBuilder("s3://").append(bucket).append('/').append(prefix);
        text.append(" at ").append(endpoint == null ? "AWS" : endpoint.toString());
        text.append(" (region ").append(region);
        if (pathStyle) {
            text.append(", path-style");
        }
        if (caBundle != null) {
            text.append(", CA bundle ").append(caBundle);
        }
        if (!verifyTls) {
            text.append(", TLS NOT VERIFIED");
        }
        text.append(", ").append(accessKey == null ? "default AWS credentials" : "access key " + accessKey).append(')');
        return text.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
