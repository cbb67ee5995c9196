package dev.ferry.juju;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import dev.ferry.runtime.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** The units of one application as {@code juju status <app> --format=json} shows them, and which is the leader. */
final class JujuStatus {

    /** One unit: its name ({@code postgresql/0}), whether it leads, and its addresses (null when juju shows none). */
    record Unit(String name, boolean leader, String publicAddress, String address) {

        /** The address clients outside the model use: the public address, else the unit's address. */
        String reachableAddress() {
            return publicAddress != null ? publicAddress : address;
        }
    }

    private final String application;
    private final List<Unit> units;

    private JujuStatus(String application, List<Unit> units) {
        this.application = application;
        this.units = List.copyOf(units);
    }

    /** Runs {@code juju status <application> --format=json} and reads it. */
    static JujuStatus of(JujuCli juju, String application) {
        JujuCli.Output output = juju.run("status", application, "--format=json");
        if (output.exitCode() != 0) {
            throw juju.failed(output, "juju status failed for " + application, juju.checkAccessHint());
        }
        JujuStatus status = parse(application, output.stdout());
        if (status == null) {
            throw juju.failed(output, "juju status printed no JSON for " + application, juju.checkAccessHint());
        }
        if (status.units.isEmpty()) {
            throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "Application " + application + " has no units in the "
                    + juju.options().modelDescription(), "juju status lists none",
                    "Check the application's name (" + juju.options().side() + ".juju.application) and the model");
        }
        return status;
    }

    /** Reads status JSON; null when the text is not JSON. An application juju does not list has no units. */
    static JujuStatus parse(String application, String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        List<Unit> units = new ArrayList<>();
        JsonNode unitNodes = root.path("applications").path(application).path("units");
        for (Iterator<Map.Entry<String, JsonNode>> it = unitNodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> unit = it.next();
            JsonNode u = unit.getValue();
            units.add(new Unit(unit.getKey(), u.path("leader").asBoolean(false), text(u, "public-address"), text(u, "address")));
        }
        return new JujuStatus(application, units);
    }

    List<Unit> units() {
        return units;
    }

    /** The leader unit; the only unit when juju marks none (a single-unit application). */
    Unit leader(JujuCli juju) {
        for (Unit unit : units) {
            if (unit.leader()) {
                return unit;
            }
        }
        if (units.size() == 1) {
            return units.get(0);
        }
        throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "No leader among the units of " + application,
                "juju status lists " + units.stream().map(Unit::name).toList() + " and marks none as leader",
                "Wait until the application has elected a leader (juju status), or set " + juju.options().side() + ".host");
    }

    /** A unit to ask about relations: the leader when juju marks one, else the first listed. */
    Unit anyUnit() {
        return units.stream().filter(Unit::leader).findFirst().orElse(units.get(0));
    }

    /** The leader's address for clients: its public address, else its address. */
    String leaderAddress(JujuCli juju) {
        Unit leader = leader(juju);
        String address = leader.reachableAddress();
        if (address == null) {
            throw new FerryException(ErrorCode.CREDENTIALS, juju.step(), "Unit " + leader.name() + " has no address yet",
                    "juju status shows neither public-address nor address for it",
                    "Wait until the unit is up (juju status), or set " + juju.options().side() + ".host");
        }
        return address;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
