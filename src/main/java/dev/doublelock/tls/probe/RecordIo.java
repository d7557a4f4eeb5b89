package dev.doublelock.tls.probe;

import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/** Reading single TLS records after the server's first flight, with a short bound, for the vulnerability probes. */
final class RecordIo {
    private RecordIo() {
    }

    /** What came next on the connection. */
    sealed interface Next {
        record Received(int type, byte[] payload) implements Next {
            /** The alert description, or -1 if this is not an alert record. */
            int alert() {
                return type == 21 && payload.length >= 2 ? payload[1] & 0xFF : -1;
            }
        }

        /** The server closed or reset the connection. */
        record Closed(String how) implements Next {
        }

        /** Nothing within the wait. */
        record Silent() implements Next {
        }

        /** Not a TLS record: garbage or an oversized record. */
        record Garbage(String what) implements Next {
        }
    }

    static Next next(Socket socket, Deadline connection, int waitMillis) {
        try {
            DeadlineInputStream in = new DeadlineInputStream(socket, connection, waitMillis);
            int first = in.read();
            if (first < 0) return new Next.Closed("closed the connection");
            byte[] rest = in.readExactly(4);
            int length = ((rest[2] & 0xFF) << 8) | (rest[3] & 0xFF);
            if (first < 20 || first > 24 || rest[0] != 3) return new Next.Garbage("not a TLS record");
            if (length > ServerFlightReader.MAX_RECORD) return new Next.Garbage("record of " + length + " bytes");
            return new Next.Received(first, in.readExactly(length));
        } catch (SocketTimeoutException e) {
            return new Next.Silent();
        } catch (EOFException e) {
            return new Next.Closed("closed the connection mid-record");
        } catch (SocketException e) {
            return new Next.Closed("reset the connection (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new Next.Closed("I/O error: " + e.getMessage());
        }
    }

    /** One record: type, the given version, the payload. */
    static byte[] record(int type, int version, byte[] payload) {
        return new ClientHelloWriter.Bytes().u8(type).u16(version).u16(payload.length).raw(payload).toByteArray();
    }
}
