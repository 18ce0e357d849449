using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Returns;

/// <summary>An issued API token as the admin page lists it (never the token itself).</summary>
public sealed record ApiTokenRow(
    int Id, int AgencyId, string AgencyName, string Name, string TokenPrefix, string CreatedByName, DateTime CreatedAt,
    DateTime? LastUsedAt, DateTime? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>A newly issued token: <see cref="Token"/> is shown once and never stored.</summary>
public sealed record IssuedApiToken(int Id, string Token);

/// <summary>Who a valid token acts for: an agency user of its agency, named after the token.</summary>
public sealed record ApiTokenIdentity(int PartnershipId, int TokenId, int AgencyId, string Name)
{
    /// <summary>The actor an API request runs as: the token's agency only, with no user (the token is recorded instead).</summary>
    public Actor ToActor() => new(PartnershipId, 0, $"API token \"{Name}\"", Role.AgencyUser, AgencyId);
}

/// <summary>
/// Per-agency API tokens for the import API. Admins issue and revoke them (logged); only the SHA-256 of a token is
/// stored, which is enough for 256-bit random tokens (no salt or slow hash is needed when guessing is hopeless).
/// </summary>
public sealed class ApiTokenService(NpgsqlDataSource dataSource, TimeProvider clock)
{
    private const string Prefix = "sc_";

    public async Task<IReadOnlyList<ApiTokenRow>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        const string sql = """
            select t.id, t.agency_id, a.name as agency_name, t.name, t.token_prefix, u.display_name as created_by_name, t.created_at,
                   t.last_used_at, t.revoked_at
            from api_token t
            join agency a on a.partnership_id = t.partnership_id and a.id = t.agency_id
            join app_user u on u.partnership_id = t.partnership_id and u.id = t.created_by
            where t.partnership_id = @PartnershipId
            order by t.revoked_at is not null, a.name, t.created_at desc
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ApiTokenRow>(new CommandDefinition(sql, new { actor.PartnershipId }, cancellationToken: ct))).ToList();
    }

    /// <summary>Issues a token for an agency. The token is in the result once and cannot be read again.</summary>
    public Task<Result<IssuedApiToken>> IssueAsync(Actor actor, int? agencyId, string name, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = new Validator();
        v.Required("Name", name, "A name saying which system uses the token", maxLength: 100, minLength: 2);
        v.When(agencyId is null, "AgencyId", "Choose the agency whose returns the token may send.");
        if (!v.IsValid)
            return Task.FromResult(Result<IssuedApiToken>.Fail(v.Errors));
        var token = Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists(select 1 from agency where partnership_id = @PartnershipId and id = @AgencyId and active)",
                new { actor.PartnershipId, AgencyId = agencyId }, tx, cancellationToken: ct));
            if (!exists)
                return Result<IssuedApiToken>.Fail("AgencyId", "That agency does not exist or is no longer active.");
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
                insert into api_token (partnership_id, agency_id, name, token_hash, token_prefix, created_by)
                values (@PartnershipId, @AgencyId, @Name, @Hash, @TokenPrefix, @UserId) returning id
                """, new { actor.PartnershipId, AgencyId = agencyId, Name = name.Trim(), Hash = Hash(token), TokenPrefix = token[..10], actor.UserId },
                tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "api_token", id, "create", $"Issued API token \"{name.Trim()}\" ({token[..10]}…)",
                null, new { AgencyId = agencyId, Name = name.Trim(), TokenPrefix = token[..10] }, ct);
            return Result<IssuedApiToken>.Ok(new IssuedApiToken(id, token));
        }, _ => null, ct);
    }

    /// <summary>Revokes a token: requests carrying it are refused from now on.</summary>
    public Task<Result<int>> RevokeAsync(Actor actor, int tokenId, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        return Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var name = await conn.ExecuteScalarAsync<string?>(new CommandDefinition("""
                update api_token set revoked_at = now(), revoked_by = @UserId
                where partnership_id = @PartnershipId and id = @Id and revoked_at is null
                returning name
                """, new { actor.PartnershipId, actor.UserId, Id = tokenId }, tx, cancellationToken: ct));
            if (name is null)
                return Result<int>.Fail("", "That token does not exist or is already revoked.");
            // change_log has no "revoke" action; revoking a credential is deactivating it for good.
            await ChangeLog.WriteAsync(conn, tx, actor, "api_token", tokenId, "deactivate", $"Revoked API token \"{name}\"",
                new { Revoked = false }, new { Revoked = true }, ct);
            return Result<int>.Ok(tokenId);
        }, _ => null, ct);
    }

    /// <summary>Finds the live token a request carries and records its use; null for an unknown or revoked token.</summary>
    public async Task<ApiTokenIdentity?> AuthenticateAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
            return null;
        const string sql = """
            update api_token set last_used_at = @Now
            where token_hash = @Hash and revoked_at is null
            returning partnership_id, id as token_id, agency_id, name
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ApiTokenIdentity>(new CommandDefinition(sql,
            new { Hash = Hash(token.Trim()), Now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
