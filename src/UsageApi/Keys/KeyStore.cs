using System.Runtime.CompilerServices;
using System.Text.Json;
using AiPlatform.UsageApi.Budgets;
using Npgsql;
using NpgsqlTypes;

namespace AiPlatform.UsageApi.Keys;

/// <summary>
/// The <c>api_keys</c> table, the source of truth for virtual keys. Every change bumps <see cref="ApiKey.Version"/>
/// and returns the row as written, which is what goes to Redis. Times come from <see cref="TimeProvider"/>.
/// </summary>
public sealed class KeyStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string Columns =
        "id, key_hash, key_prefix, name, rpm, tpm, budget_usd, models, expires_at, metadata::text, cache_namespace, " +
        "created_at, updated_at, revoked_at, version, budget_period";

    public async Task<ApiKey> CreateAsync(Guid id, byte[] keyHash, string keyPrefix, ApiKeySettings settings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO api_keys (id, key_hash, key_prefix, name, rpm, tpm, budget_usd, budget_period, models, expires_at, metadata,
                                  cache_namespace, created_at, updated_at, version)
            VALUES (@id, @key_hash, @key_prefix, @name, @rpm, @tpm, @budget_usd, @budget_period, @models, @expires_at, @metadata,
                    @cache_namespace, @now, @now, 1)
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("key_hash", keyHash);
        command.Parameters.AddWithValue("key_prefix", keyPrefix);
        command.Parameters.AddWithValue("now", time.GetUtcNow());
        AddSettings(command, settings);
        return (await ReadSingleAsync(command, cancellationToken))!;
    }

    public async Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<ApiKey?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_keys WHERE key_hash = @key_hash");
        command.Parameters.AddWithValue("key_hash", keyHash);
        return await ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>Keys newest first; revoked ones only when asked.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(bool includeRevoked, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM api_keys {(includeRevoked ? "" : "WHERE revoked_at IS NULL")} ORDER BY created_at DESC, id DESC");
        var keys = new List<ApiKey>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    /// <summary>Every key whose Redis record should exist: active ones, and those revoked after <paramref name="revokedAfter"/> (tombstones).</summary>
    public async IAsyncEnumerable<ApiKey> ListForSyncAsync(DateTimeOffset revokedAfter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM api_keys WHERE revoked_at IS NULL OR revoked_at > @revoked_after ORDER BY id");
        command.Parameters.AddWithValue("revoked_after", revokedAfter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    /// <summary>
    /// Applies a merge patch under a row lock (<c>SELECT … FOR UPDATE</c>), so that two concurrent PATCHes of different
    /// fields both take effect. Returns null when no key has <paramref name="id"/>.
    /// </summary>
    public async Task<ApiKey?> UpdateAsync(Guid id, KeyChanges changes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        ApiKey? current;
        await using (var select = new NpgsqlCommand($"SELECT {Columns} FROM api_keys WHERE id = @id FOR UPDATE", connection, transaction))
        {
            select.Parameters.AddWithValue("id", id);
            current = await ReadSingleAsync(select, cancellationToken);
        }

        if (current is null)
        {
            return null;
        }

        await using var update = new NpgsqlCommand($"""
            UPDATE api_keys
            SET name = @name, rpm = @rpm, tpm = @tpm, budget_usd = @budget_usd, budget_period = @budget_period, models = @models,
                expires_at = @expires_at,
                metadata = @metadata, cache_namespace = @cache_namespace, updated_at = @now, version = version + 1
            WHERE id = @id
            RETURNING {Columns}
            """, connection, transaction);
        update.Parameters.AddWithValue("id", id);
        update.Parameters.AddWithValue("now", time.GetUtcNow());
        AddSettings(update, changes.ApplyTo(current.Settings));
        var updated = await ReadSingleAsync(update, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    /// <summary>
    /// Revokes a key; idempotent: a second call changes nothing and returns the key with its first revocation time.
    /// Returns null when no key has <paramref name="id"/>.
    /// </summary>
    public async Task<ApiKey?> RevokeAsync(Guid id, CancellationToken cancellationToken)
    {
        await using (var revoke = dataSource.CreateCommand($"""
            UPDATE api_keys SET revoked_at = @now, updated_at = @now, version = version + 1
            WHERE id = @id AND revoked_at IS NULL
            RETURNING {Columns}
            """))
        {
            revoke.Parameters.AddWithValue("id", id);
            revoke.Parameters.AddWithValue("now", time.GetUtcNow());
            if (await ReadSingleAsync(revoke, cancellationToken) is { } revoked)
            {
                return revoked;
            }
        }

        // Already revoked (or unknown): a separate statement, so that it sees a revocation committed meanwhile.
        return await GetAsync(id, cancellationToken);
    }

    private static void AddSettings(NpgsqlCommand command, ApiKeySettings settings)
    {
        command.Parameters.AddWithValue("name", settings.Name);
        command.Parameters.Add(Nullable("rpm", NpgsqlDbType.Integer, settings.Rpm));
        command.Parameters.Add(Nullable("tpm", NpgsqlDbType.Integer, settings.Tpm));
        command.Parameters.Add(Nullable("budget_usd", NpgsqlDbType.Numeric, settings.BudgetUsd));
        command.Parameters.Add(Nullable("budget_period", NpgsqlDbType.Text, BudgetPeriods.ToName(settings.BudgetPeriod)));
        command.Parameters.Add(new NpgsqlParameter("models", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = settings.Models.ToArray() });
        command.Parameters.Add(Nullable("expires_at", NpgsqlDbType.TimestampTz, settings.ExpiresAt));
        command.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = settings.Metadata.GetRawText() });
        command.Parameters.Add(Nullable("cache_namespace", NpgsqlDbType.Text, settings.CacheNamespace));
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) =>
        new(name, type) { Value = value ?? DBNull.Value };

    private static async Task<ApiKey?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    private static ApiKey Read(NpgsqlDataReader reader) => new(
        Id: reader.GetGuid(0),
        KeyHash: reader.GetFieldValue<byte[]>(1),
        KeyPrefix: reader.GetString(2),
        Settings: new ApiKeySettings(
            Name: reader.GetString(3),
            Rpm: reader.IsDBNull(4) ? null : reader.GetInt32(4),
            Tpm: reader.IsDBNull(5) ? null : reader.GetInt32(5),
            BudgetUsd: reader.IsDBNull(6) ? null : reader.GetDecimal(6),
            BudgetPeriod: BudgetPeriods.TryParse(reader.IsDBNull(15) ? null : reader.GetString(15), out var period) ? period : null,
            Models: reader.GetFieldValue<string[]>(7),
            ExpiresAt: reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            Metadata: JsonElement.Parse(reader.GetString(9)),
            CacheNamespace: reader.IsDBNull(10) ? null : reader.GetString(10)),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(11),
        UpdatedAt: reader.GetFieldValue<DateTimeOffset>(12),
        RevokedAt: reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
        Version: reader.GetInt64(14));
}
