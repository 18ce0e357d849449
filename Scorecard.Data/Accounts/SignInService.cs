using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Scorecard.Data.Database;

namespace Scorecard.Data.Accounts;

/// <summary>Who a successful sign-in is: everything the cookie needs to carry.</summary>
public sealed record SignedInUser(
    int PartnershipId, string PartnershipName, string PartnershipShortName, int UserId, string Email, string DisplayName,
    string Role, int? AgencyId, string? AgencyName, Guid SecurityStamp);

public enum SignInStatus { Succeeded, WrongCredentials, LockedOut, Deactivated, NoAccount }

public sealed record SignInOutcome(SignInStatus Status, SignedInUser? User = null, DateTime? LockedUntil = null);

/// <summary>Lockout settings: after <see cref="MaxFailedAttempts"/> wrong passwords the account is locked for <see cref="LockoutMinutes"/>.</summary>
public sealed record LockoutOptions(int MaxFailedAttempts = 5, int LockoutMinutes = 15);

/// <summary>Checks local passwords (ASP.NET Core's PasswordHasher) with lockout, and maps external (OpenID Connect) sign-ins to local users.</summary>
public sealed class SignInService(NpgsqlDataSource dataSource, LockoutOptions lockout)
{
    private static readonly PasswordHasher<object> Hasher = new();
    // Hashed once so that an unknown address costs as much time as a known one.
    private static readonly string DummyHash = Hasher.HashPassword(new object(), Guid.NewGuid().ToString());

    private const string UserSelect = """
        select u.partnership_id, p.name as partnership_name, p.short_name as partnership_short_name, u.id as user_id, u.email,
               u.display_name, u.role, u.agency_id, a.name as agency_name, u.security_stamp
        from app_user u
        join partnership p on p.id = u.partnership_id
        left join agency a on a.partnership_id = u.partnership_id and a.id = u.agency_id
        """;

    private sealed record Credentials(int PartnershipId, int Id, string Email, string? PasswordHash, bool Active, int FailedSignIns, DateTime? LockedUntil);

    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || password.Length > 200)
            return new SignInOutcome(SignInStatus.WrongCredentials);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var user = await conn.QuerySingleOrDefaultAsync<Credentials>(new CommandDefinition(
            """
            select partnership_id, id, email, password_hash, active, failed_sign_ins, locked_until
            from app_user where lower(email) = lower(@Email) for update
            """, new { Email = email.Trim() }, tx, cancellationToken: ct));

        if (user is null || user.PasswordHash is null)
        {
            Hasher.VerifyHashedPassword(new object(), DummyHash, password);
            return new SignInOutcome(SignInStatus.WrongCredentials);
        }
        var now = DateTime.UtcNow;
        if (user.LockedUntil is { } until && until > now)
            return new SignInOutcome(SignInStatus.LockedOut, LockedUntil: until);

        var verdict = Hasher.VerifyHashedPassword(new object(), user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = user.FailedSignIns + 1;
            DateTime? lockUntil = failures >= lockout.MaxFailedAttempts ? now.AddMinutes(lockout.LockoutMinutes) : null;
            await conn.ExecuteAsync(new CommandDefinition(
                "update app_user set failed_sign_ins = @Failures, locked_until = @LockUntil where partnership_id = @PartnershipId and id = @Id",
                new { Failures = lockUntil is null ? failures : 0, LockUntil = lockUntil, user.PartnershipId, user.Id }, tx, cancellationToken: ct));
            if (lockUntil is not null)
            {
                var system = new Actor(user.PartnershipId, 0, "Sign-in", Role.Admin, null);
                await ChangeLog.WriteAsync(conn, tx, system, "user", user.Id, "sign_in_locked",
                    $"Locked {user.Email} for {lockout.LockoutMinutes} minutes after {failures} wrong passwords", null, null, ct);
            }
            await tx.CommitAsync(ct);
            return lockUntil is null
                ? new SignInOutcome(SignInStatus.WrongCredentials)
                : new SignInOutcome(SignInStatus.LockedOut, LockedUntil: lockUntil);
        }
        if (!user.Active)
            return new SignInOutcome(SignInStatus.Deactivated);

        var newHash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(new object(), password) : null;
        await conn.ExecuteAsync(new CommandDefinition(
            """
            update app_user set failed_sign_ins = 0, locked_until = null, last_signed_in_at = now(),
                password_hash = coalesce(@NewHash, password_hash)
            where partnership_id = @PartnershipId and id = @Id
            """, new { NewHash = newHash, user.PartnershipId, user.Id }, tx, cancellationToken: ct));
        var signedIn = await conn.QuerySingleAsync<SignedInUser>(new CommandDefinition(
            UserSelect + " where u.partnership_id = @PartnershipId and u.id = @Id", new { user.PartnershipId, user.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SignInOutcome(SignInStatus.Succeeded, signedIn);
    }

    /// <summary>
    /// Maps an OpenID Connect identity to a local user: by its subject if linked before, else by e-mail address
    /// (then linking the subject). Roles and agency always come from the local account, never from the identity provider.
    /// </summary>
    public async Task<SignInOutcome> ExternalSignInAsync(string subject, string? email, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var user = await conn.QuerySingleOrDefaultAsync<Credentials>(new CommandDefinition(
            """
            select partnership_id, id, email, password_hash, active, failed_sign_ins, locked_until
            from app_user
            where external_subject = @Subject or (external_subject is null and @Email::text is not null and lower(email) = lower(@Email))
            order by (external_subject = @Subject) desc nulls last
            limit 1 for update
            """, new { Subject = subject, Email = email }, tx, cancellationToken: ct));
        if (user is null)
            return new SignInOutcome(SignInStatus.NoAccount);
        if (!user.Active)
            return new SignInOutcome(SignInStatus.Deactivated);
        await conn.ExecuteAsync(new CommandDefinition(
            "update app_user set external_subject = @Subject, last_signed_in_at = now() where partnership_id = @PartnershipId and id = @Id",
            new { Subject = subject, user.PartnershipId, user.Id }, tx, cancellationToken: ct));
        var signedIn = await conn.QuerySingleAsync<SignedInUser>(new CommandDefinition(
            UserSelect + " where u.partnership_id = @PartnershipId and u.id = @Id", new { user.PartnershipId, user.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SignInOutcome(SignInStatus.Succeeded, signedIn);
    }

    /// <summary>True while the account is active and its security stamp is the one the session was issued with.</summary>
    /// <remarks>The first query of every signed-in request: retried once on a fresh connection after an outage error
    /// (<see cref="DatabaseFaults.ReadWithRetryAsync{T}"/>), so the first request after a database restart does not fail.</remarks>
    public Task<bool> IsSessionValidAsync(int partnershipId, int userId, Guid securityStamp, CancellationToken ct = default) =>
        DatabaseFaults.ReadWithRetryAsync(dataSource, async token =>
        {
            await using var conn = await dataSource.OpenConnectionAsync(token);
            return await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            select exists(select 1 from app_user
                          where partnership_id = @PartnershipId and id = @UserId and active and security_stamp = @SecurityStamp)
            """, new { PartnershipId = partnershipId, UserId = userId, SecurityStamp = securityStamp }, cancellationToken: token));
        }, ct);
}
