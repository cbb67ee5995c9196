package dev.ferry.engine;

/**
 * A server or tool version: {@code flavour} tells engines apart that share a protocol
 * (postgresql; mysql, mariadb), {@code major} is what compatibility rules compare
 * (PostgreSQL 15; MySQL 8.0 as 800, MariaDB 10.11 as 1011), {@code full} is shown to people.
 */
public record ServerVersion(String flavour, int major, String full) {

    @Override
    public String toString() {
        return flavour + " " + full;
    }
}
