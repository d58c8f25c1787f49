package io.rewardgate.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A bare HTTP/1.1 POST over a socket, with a chunked request body written from its own thread and a chunked
 * response read only when the test asks: unlike library clients, it buffers nothing it was not asked for,
 * so the test controls exactly how fast the server's answers are taken.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final Thread writer;
    private int chunkLeft;
    private boolean bodyEnded;

    private RawHttp(Socket socket, Thread writer) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.writer = writer;
    }

    /** Starts the request; {@code body} is written chunk by chunk, as fast as the server takes it. */
    public static RawHttp post(URI uri, String contentType, InputStream body) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Thread writer = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int n = body.read(buffer); n > 0; n = body.read(buffer)) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buffer, 0, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closed) {
                // The test closed the socket, or the server ended the exchange: nothing more to send.
            }
        }, "raw-http-writer");
        writer.setDaemon(true);
        writer.start();
        return new RawHttp(socket, writer);
    }

    /** Reads the status line and headers; returns the status code. */
    public int status() throws IOException {
        String status = line();
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase().startsWith("transfer-encoding") && !header.toLowerCase().contains("chunked")) {
                throw new IllegalStateException("expected a chunked answer: " + header);
            }
        }
        return Integer.parseInt(status.split(" ")[1]);
    }

    /** Hands each line of the (chunked) answer to {@code each}, until the answer ends. */
    public void lines(Consumer<String> each) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = bodyByte(); b >= 0; b = bodyByte()) {
            if (b == '\n') {
                each.accept(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
        if (line.size() > 0) {
            each.accept(line.toString(StandardCharsets.UTF_8));
        }
    }

    private int bodyByte() throws IOException {
        if (bodyEnded) {
            return -1;
        }
        if (chunkLeft == 0) {
            String size = line();
            if (size.isEmpty()) {
                size = line();
            }
            chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (chunkLeft == 0) {
                bodyEnded = true;
                return -1;
            }
        }
        chunkLeft--;
        return in.read();
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
            writer.join(5_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
