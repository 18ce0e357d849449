using Dapper;
using Npgsql;

namespace Scorecard.Data.Common;

/// <summary>Creates the one <see cref="NpgsqlDataSource"/> the app shares, and configures Dapper once.</summary>
public static class ScorecardDataSource
{
    private static int configured;

    /// <summary>The most statements Npgsql keeps prepared per connection (the least recently used go first).</summary>
    public const int AutoPreparedStatements = 200;

    /// <summary>
    /// The shared data source. <paramref name="keepAliveSeconds"/> makes idle pooled connections send a keepalive, so
    /// those broken by a server restart are found and dropped before a request draws them; <paramref name="connectionLifetimeSeconds"/>
    /// retires old connections. Statements run often are prepared on each connection (Npgsql's automatic preparation,
    /// up to <see cref="AutoPreparedStatements"/> per connection), so PostgreSQL plans them once, not on every call: the
    /// self-assessment import's store spent as long planning its five statements as running them. Npgsql drops a
    /// connection's prepared statements when a table they use changes, and a restore clears the pools. Values already in
    /// the connection string win.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString, int keepAliveSeconds = 0, int connectionLifetimeSeconds = 0)
    {
        ConfigureDapper();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.KeepAlive == 0 && keepAliveSeconds > 0)
            builder.ConnectionStringBuilder.KeepAlive = keepAliveSeconds;
        if (builder.ConnectionStringBuilder.ConnectionLifetime == 0 && connectionLifetimeSeconds > 0)
            builder.ConnectionStringBuilder.ConnectionLifetime = connectionLifetimeSeconds;
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
            builder.ConnectionStringBuilder.MaxAutoPrepare = AutoPreparedStatements;
        return builder.Build();
    }

    public static void ConfigureDapper()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1)
            return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    /// <summary>Npgsql returns <c>date</c> as <see cref="DateOnly"/>; Dapper needs to be told how to pass one back.</summary>
    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = System.Data.DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            _ => throw new InvalidCastException($"Cannot convert {value.GetType()} to DateOnly"),
        };
    }
}
