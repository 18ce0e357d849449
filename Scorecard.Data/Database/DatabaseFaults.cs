using System.Net.Sockets;
using Npgsql;

namespace Scorecard.Data.Database;

/// <summary>
/// Tells a database outage (server down, restarting, unreachable, out of connections) from a bug, and gives idempotent
/// reads one retry on a fresh connection: Npgsql does not check a pooled connection before handing it out, so the first
/// use of a connection broken by a server restart fails (npgsql/doc#132); clearing the pool and retrying once hides that.
/// </summary>
public static class DatabaseFaults
{
    /// <summary>True when <paramref name="exception"/> (or an inner one) says the database cannot be reached or used just now.</summary>
    public static bool IsOutage(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return IsOutageState(pg.SqlState);
                case NpgsqlException npgsql when npgsql.IsTransient:
                case SocketException:
                case TimeoutException:
                case EndOfStreamException:
                    return true;
                case NpgsqlException npgsql when npgsql.InnerException is null && npgsql.Message.Contains("pool", StringComparison.OrdinalIgnoreCase):
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsOutage):
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// SQLSTATE classes of an outage (PostgreSQL Appendix A): 08 connection exception, 53 insufficient resources,
    /// 57P01–57P03 admin/crash shutdown and "cannot connect now" (starting up), 58 system error.
    /// </summary>
    public static bool IsOutageState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState.StartsWith("53", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
        || sqlState.StartsWith("58", StringComparison.Ordinal);

    /// <summary>
    /// Runs an idempotent read; when it fails on an outage, clears the data source's pool (its idle connections may all
    /// be dead after a restart) and runs it once more on a new connection. A second failure is thrown to the caller.
    /// </summary>
    public static async Task<T> ReadWithRetryAsync<T>(NpgsqlDataSource dataSource, Func<CancellationToken, Task<T>> read, CancellationToken ct)
    {
        try
        {
            return await read(ct);
        }
        catch (Exception e) when (IsOutage(e) && !ct.IsCancellationRequested)
        {
            dataSource.Clear();
            return await read(ct);
        }
    }
}
