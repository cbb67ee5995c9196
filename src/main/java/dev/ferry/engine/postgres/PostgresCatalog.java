package dev.ferry.engine.postgres;

import dev.ferry.engine.DefinitionText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The schema fingerprint of a PostgreSQL database: every object class Ferry compares, as
 * name → definition, from the catalogs (PostgreSQL 12 and later). User objects are those outside
 * the system schemas that no extension owns. Definitions come from the server's own
 * {@code pg_get_*def} functions, so two servers that hold the same object print it alike.
 */
final class PostgresCatalog {

    static final String USER_SCHEMA = "n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'";

    private static String notExtensionMember(String catalog, String oid) {
        return "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '" + catalog + "'::regclass AND d.objid = " + oid
                + " AND d.deptype = 'e')";
    }

    private static final String USER_RELATION = USER_SCHEMA + " AND " + notExtensionMember("pg_class", "c.oid");

    /** Kind → query returning (name, definition); names are qualified by schema (and table where they belong to one). */
    private static final Map<String, String> QUERIES = queries();

    /** What the fingerprint leaves out, and why; listed in every report. */
    static final List<String> NOT_COMPARED = List.of(
            "owners and privileges: the import restores with --no-owner --no-privileges, so the target's objects belong to its user",
            "roles and tablespaces (global objects, outside the database)",
            "text search configurations, operators, operator classes, casts and conversions",
            "foreign data wrappers, servers and user mappings; subscriptions; security labels",
            "planner statistics");

    private static Map<String, String> queries() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("schemas", "SELECT n.nspname, '' FROM pg_namespace n WHERE " + USER_SCHEMA
                + " AND " + notExtensionMember("pg_namespace", "n.oid"));
        q.put("table-definitions", """
                SELECT n.nspname || '.' || c.relname,
                       CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' ELSE 'table' END
                       || CASE c.relpersistence WHEN 'u' THEN ', unlogged' ELSE '' END
                       || CASE WHEN c.relrowsecurity THEN ', row security' ELSE '' END
                       || CASE WHEN c.relforcerowsecurity THEN ' forced' ELSE '' END
                       || coalesce(', partition by ' || pg_get_partkeydef(c.oid), '')
                       || coalesce(', partition of ' || (SELECT pn.nspname || '.' || p.relname FROM pg_inherits i
                                JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
                                WHERE i.inhrelid = c.oid) || ' ' || pg_get_expr(c.relpartbound, c.oid), '')
                       || coalesce(', options ' || array_to_string(c.reloptions, ','), '')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p', 'f') AND %s
                """.formatted(USER_RELATION));
        q.put("columns", """
                SELECT n.nspname || '.' || c.relname || '.' || a.attname,
                       '#' || row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) || ' '
                       || format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                       || CASE WHEN a.attgenerated = 's' THEN coalesce(' generated always as ' || pg_get_expr(ad.adbin, ad.adrelid), '')
                               ELSE coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '') END
                       || CASE a.attidentity WHEN 'a' THEN ' identity always' WHEN 'd' THEN ' identity by default' ELSE '' END
                       || CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                               THEN ' collate ' || cn.nspname || '.' || co.collname ELSE '' END
                FROM pg_attribute a
                JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                LEFT JOIN pg_collation co ON co.oid = a.attcollation LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
                WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c') AND %s
                """.formatted(USER_RELATION));
        // NOT NULL constraints (PostgreSQL 18 lists them here) are compared with the columns
        q.put("constraints", """
                SELECT n.nspname || '.' || c.relname || '.' || con.conname, pg_get_constraintdef(con.oid, true)
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE con.contype <> 'n' AND %s
                """.formatted(USER_RELATION));
        q.put("indexes", """
                SELECT n.nspname || '.' || ic.relname,
                       pg_get_indexdef(i.indexrelid) || CASE WHEN i.indisvalid THEN '' ELSE ' (invalid)' END
                FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE %s
                """.formatted(USER_RELATION));
        q.put("triggers", """
                SELECT n.nspname || '.' || c.relname || '.' || tg.tgname,
                       pg_get_triggerdef(tg.oid, true) || ' ' || CASE tg.tgenabled WHEN 'O' THEN 'enabled' WHEN 'D' THEN 'disabled'
                            WHEN 'R' THEN 'enabled on replica' ELSE 'enabled always' END
                FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE NOT tg.tgisinternal AND %s
                """.formatted(USER_RELATION));
        q.put("views", """
                SELECT n.nspname || '.' || c.relname, pg_get_viewdef(c.oid, true)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'v' AND %s
                """.formatted(USER_RELATION));
        q.put("rules", """
                SELECT n.nspname || '.' || c.relname || '.' || r.rulename, pg_get_ruledef(r.oid, true)
                FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE r.rulename <> '_RETURN' AND %s
                """.formatted(USER_RELATION));
        q.put("policies", """
                SELECT schemaname || '.' || tablename || '.' || policyname,
                       permissive || ' ' || cmd || ' to ' || array_to_string(roles, ',')
                       || coalesce(' using ' || qual, '') || coalesce(' check ' || with_check, '')
                FROM pg_policies n WHERE n.schemaname <> 'information_schema' AND n.schemaname NOT LIKE 'pg\\_%'
                """);
        q.put("sequences", """
                SELECT n.nspname || '.' || c.relname,
                       format_type(s.seqtypid, NULL) || ' start ' || s.seqstart || ' increment ' || s.seqincrement
                       || ' min ' || s.seqmin || ' max ' || s.seqmax || ' cache ' || s.seqcache
                       || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END
                FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE %s
                """.formatted(USER_RELATION));
        q.put("functions", """
                SELECT n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
                       CASE p.prokind
                         WHEN 'a' THEN 'aggregate of ' || a.aggtransfn::regproc::text || ' state ' || format_type(a.aggtranstype, NULL)
                                       || coalesce(' final ' || nullif(a.aggfinalfn::regproc::text, '-'), '')
                                       || coalesce(' initially ' || a.agginitval, '')
                         ELSE pg_get_functiondef(p.oid) END
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
                WHERE %s AND %s
                """.formatted(USER_SCHEMA, notExtensionMember("pg_proc", "p.oid")));
        q.put("types", """
                SELECT n.nspname || '.' || t.typname,
                       CASE t.typtype
                         WHEN 'e' THEN 'enum ' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e
                                                   WHERE e.enumtypid = t.oid)
                         WHEN 'd' THEN 'domain over ' || format_type(t.typbasetype, t.typtypmod)
                                       || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
                                       || coalesce(' default ' || t.typdefault, '')
                                       || coalesce(' ' || (SELECT string_agg(dc.conname || ' ' || pg_get_constraintdef(dc.oid, true), '; '
                                                   ORDER BY dc.conname) FROM pg_constraint dc WHERE dc.contypid = t.oid), '')
                         WHEN 'r' THEN 'range of ' || (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)
                         WHEN 'c' THEN 'composite'
                         ELSE 'base type' END
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                WHERE %s AND %s AND t.typtype IN ('e', 'd', 'r', 'c', 'b')
                  AND (t.typrelid = 0 OR (SELECT rc.relkind FROM pg_class rc WHERE rc.oid = t.typrelid) = 'c')
                  AND NOT (t.typcategory = 'A' AND t.typelem <> 0)
                """.formatted(USER_SCHEMA, notExtensionMember("pg_type", "t.oid")));
        q.put("collations", """
                SELECT n.nspname || '.' || co.collname,
                       co.collprovider::text || ' ' || coalesce(co.collcollate, '') || '/' || coalesce(co.collctype, '')
                       || CASE WHEN co.collisdeterministic THEN '' ELSE ' nondeterministic' END
                FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace WHERE %s AND %s
                """.formatted(USER_SCHEMA, notExtensionMember("pg_collation", "co.oid")));
        q.put("statistics-objects", """
                SELECT n.nspname || '.' || s.stxname, pg_get_statisticsobjdef(s.oid)
                FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE %s
                """.formatted(USER_SCHEMA));
        q.put("extensions", "SELECT e.extname, 'version ' || e.extversion FROM pg_extension e");
        q.put("event-triggers", """
                SELECT e.evtname, e.evtevent || ' ' || e.evtfoid::regproc::text || ' ' || e.evtenabled::text
                       || coalesce(' tags ' || array_to_string(e.evttags, ','), '')
                FROM pg_event_trigger e
                """);
        q.put("publications", """
                SELECT p.pubname, CASE WHEN p.puballtables THEN 'all tables' ELSE coalesce((SELECT string_agg(
                           pt.schemaname || '.' || pt.tablename, ', ' ORDER BY pt.schemaname, pt.tablename)
                           FROM pg_publication_tables pt WHERE pt.pubname = p.pubname), '') END
                       || ' insert ' || p.pubinsert || ' update ' || p.pubupdate || ' delete ' || p.pubdelete
                FROM pg_publication p
                """);
        // comments on the database itself live in pg_shdescription: Ferry keeps its import mark there
        q.put("comments", """
                SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid), d.description
                FROM pg_description d
                WHERE d.objoid >= 16384
                  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = d.classoid AND x.objid = d.objoid AND x.deptype = 'e')
                  AND NOT (d.classoid = 'pg_class'::regclass AND EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n
                           ON n.oid = c.relnamespace WHERE c.oid = d.objoid AND NOT (%s)))
                """.formatted(USER_SCHEMA));
        q.put("large-objects", """
                SELECT 'large objects', count(*) || ' objects, checksum '
                       || coalesce(sum(hashtextextended(m.oid::text || ':' || md5(lo_get(m.oid)), 0)::numeric), 0)
                FROM pg_largeobject_metadata m
                """);
        return Collections.unmodifiableMap(q);
    }

    /** Every kind's objects; materialized views are added by the caller, with their content. */
    SortedMap<String, SortedMap<String, String>> read(Connection connection) throws SQLException {
        SortedMap<String, SortedMap<String, String>> objects = new TreeMap<>();
        for (Map.Entry<String, String> query : QUERIES.entrySet()) {
            objects.put(query.getKey(), pairs(connection, query.getValue()));
        }
        return objects;
    }

    /** Populated state and definition of each materialized view, by name: {@code [definition, populated]}. */
    static final String MATERIALIZED_VIEWS = """
            SELECT n.nspname, c.relname, pg_get_viewdef(c.oid, true), c.relispopulated
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'm' AND %s
            """.formatted(USER_RELATION);

    private static SortedMap<String, String> pairs(Connection connection, String sql) throws SQLException {
        SortedMap<String, String> pairs = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                pairs.put(result.getString(1), DefinitionText.of(result.getString(2)));
            }
        }
        return pairs;
    }
}
