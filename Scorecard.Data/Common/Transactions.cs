using Npgsql;

namespace Scorecard.Data.Common;

internal static class Transactions
{
    /// <summary>
    /// Runs a command's writes in one transaction. The work commits only when it returns success; a unique-key
    /// violation becomes the field error <paramref name="onDuplicate"/> chooses (so a race with another admin reads
    /// like any other validation error rather than a crash).
    /// </summary>
    public static async Task<Result<T>> RunAsync<T>(
        NpgsqlDataSource dataSource,
        Func<NpgsqlConnection, NpgsqlTransaction, Task<Result<T>>> work,
        Func<PostgresException, FieldError?> onDuplicate,
        CancellationToken ct)
    {
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
}
