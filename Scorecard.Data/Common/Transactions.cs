using Npgsql;

namespace Scorecard.Data.Common;

internal static class Transactions
{
    private sealed record Joined(NpgsqlDataSource DataSource, NpgsqlConnection Connection, NpgsqlTransaction Transaction);

    private static readonly AsyncLocal<Joined?> Ambient = new();

    /// <summary>
    /// Makes a command of another feature that runs through <see cref="RunAsync{T}"/> on the same data source, awaited in
    /// this flow before the returned scope is disposed, run inside <paramref name="tx"/> (under a savepoint) instead of
    /// opening its own transaction. So a meeting's minute and the challenge it raises through the challenge log's own
    /// command commit or roll back together, with that command's validation, rules and change-log entry unchanged.
    /// </summary>
    public static IDisposable Join(NpgsqlDataSource dataSource, NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        var previous = Ambient.Value;
        Ambient.Value = new Joined(dataSource, conn, tx);
        return new Restore(previous);
    }

    private sealed class Restore(Joined? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }

    /// <summary>
    /// Runs a command's writes in one transaction. The work commits only when it returns success; a unique-key
    /// violation becomes the field error <paramref name="onDuplicate"/> chooses (so a race with another admin reads
    /// like any other validation error rather than a crash). Inside <see cref="Join"/> the work runs in the joined
    /// transaction under a savepoint, which is released on success and rolled back on failure; the caller commits.
    /// </summary>
    public static async Task<Result<T>> RunAsync<T>(
        NpgsqlDataSource dataSource,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<Result<T>>> work,
        Func<PostgresException, FieldError?> onDuplicate,
        CancellationToken ct)
    {
        if (Ambient.Value is { } joined && ReferenceEquals(joined.DataSource, dataSource))
            return await RunJoinedAsync(joined, work, onDuplicate, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            var result = await work(conn, tx);
            if (result.Succeeded)
                await tx.CommitAsync(ct);
            return result;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && onDuplicate(e) is { } error)
        {
            return Result<T>.Fail([error]);
        }
    }

    private static async Task<Result<T>> RunJoinedAsync<T>(
        Joined joined, Func<NpgsqlConnection, NpgsqlTransaction, Task<Result<T>>> work, Func<PostgresException, FieldError?> onDuplicate, CancellationToken ct)
    {
        const string savepoint = "joined_command";
        // The joined work must not join again (a nested command opens nothing new either way, but the savepoint name is one).
        Ambient.Value = null;
        try
        {
            await joined.Transaction.SaveAsync(savepoint, ct);
            try
            {
                var result = await work(joined.Connection, joined.Transaction);
                if (result.Succeeded)
                    await joined.Transaction.ReleaseAsync(savepoint, ct);
                else
                    await joined.Transaction.RollbackAsync(savepoint, ct);
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && onDuplicate(e) is { } error)
            {
                await joined.Transaction.RollbackAsync(savepoint, ct);
                return Result<T>.Fail([error]);
            }
        }
        finally
        {
            Ambient.Value = joined;
        }
    }
}
