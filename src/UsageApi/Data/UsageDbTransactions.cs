using Microsoft.EntityFrameworkCore;

namespace AiPlatform.UsageApi.Data;

internal static class UsageDbTransactions
{
    /// <summary>
    /// Runs <paramref name="operation"/> in a transaction and commits it. The context retries on transient failures, and
    /// a transaction of our own must go through its execution strategy: a failure runs the whole operation again, from a
    /// clean change tracker and a new transaction, so <paramref name="operation"/> must start from nothing each time.
    /// </summary>
    public static Task<T> InTransactionAsync<T>(this UsageDbContext db, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var result = await operation(ct);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
}
