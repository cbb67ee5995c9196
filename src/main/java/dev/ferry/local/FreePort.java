package dev.ferry.local;

import dev.ferry.ErrorCode;
import dev.ferry.FerryException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback ports: one nobody listens on yet, and whether one answers. */
public final class FreePort {

    private FreePort() {
    }

    /** A port free right now; another process may still take it before the caller binds it. */
    public static int onLoopback(String step) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new FerryException(ErrorCode.INTERNAL, step, "Could not find a free port on 127.0.0.1",
                    e.getMessage(), "Check the machine's network configuration");
        }
    }

    static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
