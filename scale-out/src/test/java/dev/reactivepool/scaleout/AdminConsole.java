package dev.reactivepool.scaleout;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal client of PgBouncer's admin console (database {@code pgbouncer}): start-up with trust
 * authentication and one simple query. Neither JDBC nor r2dbc-postgresql can talk to the console:
 * both run set-up statements ({@code SET ...}, {@code SHOW TRANSACTION ISOLATION LEVEL}) that it
 * rejects. Blocking socket I/O: test thread only.
 */
final class AdminConsole {

    private AdminConsole() {
    }

    /**
     * @param port    PgBouncer's port on 127.0.0.1
     * @param command an admin command, e.g. {@code SHOW POOLS}
     * @return the rows, column name to text value
     */
    static List<Map<String, String>> run(int port, String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(10_000);
            // Buffered, and flushed once per message: PgBouncer 1.18 rejects a start-up packet that
            // arrives in pieces ("incomplete pkt").
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            DataInputStream in = new DataInputStream(socket.getInputStream());

            ByteArrayOutputStream startup = new ByteArrayOutputStream();
            DataOutputStream body = new DataOutputStream(startup);
            body.writeInt(196608); // protocol 3.0
            for (String s : new String[] {"user", "postgres", "database", "pgbouncer"}) {
                body.write(s.getBytes(StandardCharsets.UTF_8));
                body.write(0);
            }
            body.write(0);
            out.writeInt(startup.size() + 4);
            out.write(startup.toByteArray());
            out.flush();
            readUntilReady(in, null, null);

            byte[] query = command.getBytes(StandardCharsets.UTF_8);
            out.writeByte('Q');
            out.writeInt(query.length + 5);
            out.write(query);
            out.write(0);
            out.flush();
            List<String> columns = new ArrayList<>();
            List<Map<String, String>> rows = new ArrayList<>();
            readUntilReady(in, columns, rows);

            out.writeByte('X');
            out.writeInt(4);
            out.flush();
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("PgBouncer admin command '" + command + "' failed", e);
        }
    }

    private static void readUntilReady(DataInputStream in, List<String> columns, List<Map<String, String>> rows)
            throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            byte[] payload = new byte[in.readInt() - 4];
            in.readFully(payload);
            DataInputStream message = new DataInputStream(new java.io.ByteArrayInputStream(payload));
            switch (type) {
                case 'Z' -> {
                    return;
                }
                case 'E' -> throw new IOException("PgBouncer admin console error: " + errorText(payload));
                case 'R' -> {
                    if (message.readInt() != 0) {
                        throw new IOException("PgBouncer admin console asked for a password; the tests use trust");
                    }
                }
                case 'T' -> {
                    int count = message.readUnsignedShort();
                    for (int i = 0; i < count; i++) {
                        columns.add(cString(message));
                        message.skipBytes(18);
                    }
                }
                case 'D' -> {
                    int count = message.readUnsignedShort();
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        int length = message.readInt();
                        String value = null;
                        if (length >= 0) {
                            byte[] bytes = new byte[length];
                            message.readFully(bytes);
                            value = new String(bytes, StandardCharsets.UTF_8);
                        }
                        row.put(columns.get(i), value);
                    }
                    rows.add(row);
                }
                default -> {
                    // ParameterStatus, BackendKeyData, CommandComplete, notices: not needed.
                }
            }
        }
    }

    private static String cString(DataInputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.readUnsignedByte(); b != 0; b = in.readUnsignedByte()) {
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String errorText(byte[] payload) {
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < payload.length && payload[i] != 0) {
            char field = (char) payload[i++];
            int start = i;
            while (i < payload.length && payload[i] != 0) {
                i++;
            }
            if (field == 'M') {
                text.append(new String(payload, start, i - start, StandardCharsets.UTF_8));
            }
            i++;
        }
        return text.toString();
    }
}
