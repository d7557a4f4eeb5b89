package dev.doublelock.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/** Binding positional parameters and running one-line updates, for the store's short statements. */
final class Sql {

    private Sql() {
    }

    /** Runs {@code sql} with {@code args} bound in order and returns the number of rows changed. */
    static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, args);
            return p.executeUpdate();
        }
    }

    /** Binds {@code Long}, {@code Integer}, {@code String} and {@code null} (as text) in order. */
    static void bind(PreparedStatement p, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case null -> p.setNull(i + 1, Types.VARCHAR);
                case Long l -> p.setLong(i + 1, l);
                case Integer n -> p.setInt(i + 1, n);
                case String s -> p.setString(i + 1, s);
                default -> throw new IllegalArgumentException("cannot bind a " + args[i].getClass().getName());
            }
        }
    }
}
