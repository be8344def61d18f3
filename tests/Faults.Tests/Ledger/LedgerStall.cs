using AiPlatform.Faults.Tests.Platform;
using Npgsql;

namespace AiPlatform.Faults.Tests.Ledger;

/// <summary>
/// Makes UsageApi slow to take usage, as a Postgres under pressure does: holds an exclusive lock on the ledger's table, so
/// that every ingestion waits for it, until disposed. (Reading the ledger waits too.)
/// </summary>
public sealed class LedgerStall : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private LedgerStall(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<LedgerStall> StartAsync(FaultPlatform platform)
    {
        var connection = new NpgsqlConnection(platform.UsageDbConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE usage_records IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await command.ExecuteNonQueryAsync();
        return new LedgerStall(connection, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.RollbackAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
