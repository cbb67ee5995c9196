package dev.ferry.storage;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HoldbackOutputStreamTest {

    @Test
    void withholdsExactlyTheTailWhateverTheWriteSizes() throws IOException {
        byte[] input = new byte[300_001];
        new SplittableRandom(5).nextBytes(input);
        for (int holdback : new int[] {1, 7, 1024, HoldbackOutputStream.DEFAULT_HOLDBACK, 400_000}) {
            SplittableRandom sizes = new SplittableRandom(holdback);
            ByteArrayOutputStream downstream = new ByteArrayOutputStream();
            HoldbackOutputStream out = new HoldbackOutputStream(downstream, holdback);
            int offset = 0;
            while (offset < input.length) {
                int n = Math.min(input.length - offset, sizes.nextInt(3) == 0 ? 1 : sizes.nextInt(150_000));
                if (n == 1) {
                    out.write(input[offset]);
                } else {
                    out.write(input, offset, n);
                }
                offset += n;
                int expectedForwarded = Math.max(0, offset - holdback);
                assertThat(downstream.size()).isEqualTo(expectedForwarded);
                assertThat(out.heldBytes()).isEqualTo(offset - expectedForwarded);
            }
            assertThat(downstream.toByteArray()).isEqualTo(Arrays.copyOf(input, Math.max(0, input.length - holdback)));

            out.release();
            assertThat(downstream.toByteArray()).isEqualTo(input);
            assertThat(out.forwardedBytes()).isEqualTo(input.length);
        }
    }

    @Test
    void discardAndCloseNeverForwardTheTail() throws IOException {
        byte[] input = "0123456789".getBytes();
        for (boolean viaClose : new boolean[] {true, false}) {
            AtomicBoolean closed = new AtomicBoolean();
            ByteArrayOutputStream downstream = new ByteArrayOutputStream() {
                @Override
                public void close() {
                    closed.set(true);
                }
            };
            HoldbackOutputStream out = new HoldbackOutputStream(downstream, 4);
            out.write(input);
            out.flush();
            if (viaClose) {
                out.close();
            } else {
                out.discard();
            }
            assertThat(downstream.toString()).isEqualTo("012345");
            assertThat(closed).isTrue();
            assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
            assertThatThrownBy(out::release).isInstanceOf(IOException.class);
        }
    }

    @Test
    void inputShorterThanTheHoldbackIsWithheldWhole() throws IOException {
        ByteArrayOutputStream downstream = new ByteArrayOutputStream();
        HoldbackOutputStream out = new HoldbackOutputStream(downstream);
        out.write(new byte[1000]);
        assertThat(downstream.size()).isZero();
        out.release();
        assertThat(downstream.size()).isEqualTo(1000);
        out.close();
    }
}
