package dev.ferry.cli;

import dev.ferry.runtime.ProgressFactory;
import dev.ferry.runtime.ProgressHandle;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;

/** Progress bars on a terminal (stderr); none when output goes to a file or CI log. */
final class ConsoleProgress implements ProgressFactory {

    static ProgressFactory forTerminal() {
        return System.console() != null ? new ConsoleProgress() : ProgressFactory.NONE;
    }

    @Override
    public ProgressHandle start(String label, long totalBytes) {
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(label)
                .setInitialMax(totalBytes)
                .setUnit(" MB", 1_000_000)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setMaxRenderedLength(100)
                .hideEta()
                .build();
        return new ProgressHandle() {
            @Override
            public void add(long bytes) {
                bar.stepBy(bytes);
            }

            @Override
            public void close() {
                bar.close();
            }
        };
    }
}
