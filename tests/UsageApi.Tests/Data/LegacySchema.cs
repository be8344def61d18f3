using System.Security.Cryptography;
using System.Text;
using AiPlatform.UsageApi.Data;
using Npgsql;

namespace AiPlatform.UsageApi.Tests.Data;

/// <summary>
/// What the versions before EF Core left in a database: the tables of their SQL scripts (kept word for word in
/// LegacySchema/) and <c>schema_migrations</c>, as their migration runner applied and recorded them.
/// </summary>
internal static class LegacySchema
{
    private const string ResourcePrefix = "LegacySchema.";

    /// <summary>Applies scripts 1 to <paramref name="lastVersion"/> as the old runner did: each in its transaction with its record.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, int lastVersion = UsageDbMigrator.LegacySchemaVersion)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using (var create = new NpgsqlCommand("""
            CREATE TABLE schema_migrations (
                version    integer PRIMARY KEY,
                name       text        NOT NULL,
                checksum   text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        foreach (var (version, name, sql) in Scripts().Where(script => script.Version <= lastVersion))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var script = new NpgsqlCommand(sql, connection, transaction))
            {
                await script.ExecuteNonQueryAsync();
            }

            await using (var record = new NpgsqlCommand(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
            {
                record.Parameters.AddWithValue("version", version);
                record.Parameters.AddWithValue("name", name);
                record.Parameters.AddWithValue("checksum", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql))));
                await record.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }
    }

    /// <summary>
    /// The schema as sorted lines, without the migrations' own records: columns (with their position), constraints,
    /// indexes, functions, the partitioning, and the seeded prices. Equal lines, equal schemas.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            WITH tables AS (
                SELECT oid, relname, relkind FROM pg_class
                WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')
                  AND relname NOT IN ('schema_migrations', '__EFMigrationsHistory')
            )
            SELECT format('column %s.%s #%s %s%s%s', t.relname, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod),
                          CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                          coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''))
            FROM tables t
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            UNION ALL
            SELECT format('constraint %s.%s %s', t.relname, c.conname, pg_get_constraintdef(c.oid))
            FROM tables t JOIN pg_constraint c ON c.conrelid = t.oid
            UNION ALL
            SELECT 'index ' || pg_get_indexdef(i.indexrelid)
            FROM tables t JOIN pg_index i ON i.indrelid = t.oid
            UNION ALL
            SELECT format('partitioned %s by %s', t.relname, pg_get_partkeydef(t.oid)) FROM tables t WHERE t.relkind = 'p'
            UNION ALL
            SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
            UNION ALL
            SELECT format('price %s %s %s', model, input_per_million_usd, output_per_million_usd) FROM model_prices
            UNION ALL
            SELECT format('price table version %s', version) FROM model_prices_version
            ORDER BY 1
            """);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static IEnumerable<(int Version, string Name, string Sql)> Scripts()
    {
        var assembly = typeof(LegacySchema).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order())
        {
            // LegacySchema.0001_api_keys.sql
            var fileName = resource[ResourcePrefix.Length..^".sql".Length];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (int.Parse(fileName[..separator], System.Globalization.CultureInfo.InvariantCulture), fileName[(separator + 1)..], reader.ReadToEnd());
        }
    }
}
