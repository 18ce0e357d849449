using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Scorecard.Data.Database;
using Scorecard.Data.Demo;

namespace Scorecard.Data.Accounts;

/// <summary>
/// Whether the demo sign-ins, whose passwords the README publishes, still open this deployment: an active account with a
/// demo address whose password is still the published one. Checked at most once a minute for the whole process (five
/// password hashes), so every page can show the warning banner without a query of its own.
/// </summary>
public sealed class DemoAccounts(NpgsqlDataSource dataSource, TimeProvider time)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);
    private static readonly Lazy<IReadOnlyList<DemoUser>> Published = new(() => DemoGenerator.Generate().Users);
    private static readonly PasswordHasher<object> Hasher = new();
    private readonly SemaphoreSlim gate = new(1, 1);
    private (bool Exist, DateTimeOffset At)? last;

    /// <summary>True while at least one published demo sign-in works.</summary>
    public async Task<bool> ExistAsync(CancellationToken ct = default)
    {
        if (last is { } known && time.GetUtcNow() - known.At < CheckEvery)
            return known.Exist;
        await gate.WaitAsync(ct);
        try
        {
            if (last is { } again && time.GetUtcNow() - again.At < CheckEvery)
                return again.Exist;
            bool exist;
            try
            {
                exist = await CheckAsync(ct);
            }
            catch (Exception e) when (DatabaseFaults.IsOutage(e))
            {
                // Cannot check now: keep saying what was last known (a warning is never dropped by an outage).
                return last?.Exist ?? false;
            }
            last = (exist, time.GetUtcNow());
            return exist;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets the last answer (after a password change or a deactivation, so the banner follows at once).</summary>
    public void Forget() => last = null;

    private async Task<bool> CheckAsync(CancellationToken ct)
    {
        const string sql = "select lower(email) as email, password_hash from app_user where active and password_hash is not null and lower(email) = any(@Emails)";
        var published = Published.Value;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Email, string PasswordHash)>(new CommandDefinition(
            sql, new { Emails = published.Select(u => u.Email.ToLowerInvariant()).ToArray() }, cancellationToken: ct));
        return rows.Any(r => published.FirstOrDefault(u => u.Email.Equals(r.Email, StringComparison.OrdinalIgnoreCase)) is { } user
                             && Hasher.VerifyHashedPassword(new object(), r.PasswordHash, user.Password) != PasswordVerificationResult.Failed);
    }
}
