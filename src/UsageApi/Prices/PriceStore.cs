using Npgsql;

namespace AiPlatform.UsageApi.Prices;

/// <summary>
/// The <c>model_prices</c> table. Every change also bumps <c>model_prices_version</c> in the same statement, so that
/// a snapshot (<see cref="ReadSnapshotAsync"/>) knows how new it is. Times come from <see cref="TimeProvider"/>.
/// </summary>
public sealed class PriceStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns = "model, input_per_million_usd, output_per_million_usd, updated_at";

    public async Task<IReadOnlyList<ModelPrice>> ListAsync(CancellationToken cancellationToken) =>
        (await ReadSnapshotAsync(cancellationToken)).Prices;

    public async Task<ModelPrice?> GetAsync(string model, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM model_prices WHERE model = @model");
        command.Parameters.AddWithValue("model", model);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, 0) : null;
    }

    /// <summary>The whole table and its version, read in one statement (one snapshot), ordered by model.</summary>
    public async Task<PriceSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT v.version, p.{Columns.Replace(", ", ", p.", StringComparison.Ordinal)}
            FROM model_prices_version v LEFT JOIN model_prices p ON true
            ORDER BY p.model
            """);
        var prices = new List<ModelPrice>();
        long version = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            version = reader.GetInt64(0);
            if (!reader.IsDBNull(1))
            {
                prices.Add(Read(reader, 1));
            }
        }

        return new PriceSnapshot(version, prices);
    }

    /// <summary>Creates or replaces the price of <paramref name="model"/>.</summary>
    public async Task<ModelPrice> UpsertAsync(string model, decimal inputPerMillionUsd, decimal outputPerMillionUsd, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH upserted AS (
                INSERT INTO model_prices (model, input_per_million_usd, output_per_million_usd, updated_at)
                VALUES (@model, @input, @output, @now)
                ON CONFLICT (model) DO UPDATE
                SET input_per_million_usd = excluded.input_per_million_usd,
                    output_per_million_usd = excluded.output_per_million_usd,
                    updated_at = excluded.updated_at
                RETURNING {Columns}
            ), bumped AS (
                UPDATE model_prices_version SET version = version + 1
            )
            SELECT {Columns} FROM upserted
            """);
        command.Parameters.AddWithValue("model", model);
        command.Parameters.AddWithValue("input", inputPerMillionUsd);
        command.Parameters.AddWithValue("output", outputPerMillionUsd);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader, 0);
    }

    /// <summary>Deletes the price of <paramref name="model"/>; false when it had none.</summary>
    public async Task<bool> DeleteAsync(string model, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH deleted AS (
                DELETE FROM model_prices WHERE model = @model RETURNING model
            ), bumped AS (
                UPDATE model_prices_version SET version = version + 1 WHERE EXISTS (SELECT 1 FROM deleted)
            )
            SELECT count(*) FROM deleted
            """);
        command.Parameters.AddWithValue("model", model);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }

    private static ModelPrice Read(NpgsqlDataReader reader, int first) => new(
        reader.GetString(first),
        reader.GetDecimal(first + 1),
        reader.GetDecimal(first + 2),
        reader.GetFieldValue<DateTimeOffset>(first + 3));
}

/// <summary>The price table at one moment, with the version it had then.</summary>
public sealed record PriceSnapshot(long Version, IReadOnlyList<ModelPrice> Prices);
