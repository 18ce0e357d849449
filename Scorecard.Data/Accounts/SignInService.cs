using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Scorecard.Data.Database;

namespace Scorecard.Data.Accounts;

/// <summary>Who a successful sign-in is: everything the cookie needs to carry.</summary>
public sealed record SignedInUser(
    int PartnershipId, string PartnershipName, string PartnershipShortName, int UserId, string Email, string DisplayName,
    string Role, int? AgencyId, string? AgencyName, Guid SecurityStamp);

public enum SignInStatus
{
    Succeeded,
    WrongCredentials,
    LockedOut,
    Deactivated,
    NoAccount,
    /// <summary>An external identity that is not linked and whose e-mail address the provider did not assert as verified.</summary>
    NotLinked,
}

public sealed record SignInOutcome(SignInStatus Status, SignedInUser? User = null, DateTime? LockedUntil = null);

/// <summary>
/// Lockout settings. After <see cref="MaxFailedAttempts"/> wrong passwords from one source (client address) the account is
/// locked for that source only, for <see cref="LockoutMinutes"/>; each further lock of the same account and source doubles,
/// up to <see cref="MaxLockoutMinutes"/>. A day without failures from that source starts again from the first lock.
/// </summary>
public sealed record LockoutOptions(int MaxFailedAttempts = 5, int LockoutMinutes = 5, int MaxLockoutMinutes = 24 * 60)
{
    /// <summary>How long the <paramref name="lockNumber"/>th lock (1-based) of one account and source lasts.</summary>
    public TimeSpan LockDuration(int lockNumber) =>
        TimeSpan.FromMinutes(Math.Min(MaxLockoutMinutes, LockoutMinutes * Math.Pow(2, Math.Clamp(lockNumber - 1, 0, 30))));
}

/// <summary>What an OpenID Connect provider asserted about someone, as far as linking needs it.</summary>
public sealed record ExternalIdentity(string Subject, string? Email, bool EmailVerified);

/// <summary>
/// Checks local passwords (ASP.NET Core's PasswordHasher) with lockout per account and source, and maps external
/// (OpenID Connect) sign-ins to local users.
/// </summary>
public sealed class SignInService(NpgsqlDataSource dataSource, LockoutOptions lockout, TimeProvider clock)
{
    private static readonly PasswordHasher<object> Hasher = new();
    // Hashed once so that an unknown address costs as much time as a known one.
    private static readonly string DummyHash = Hasher.HashPassword(new object(), Guid.NewGuid().ToString());
    /// <summary>Failures older than this from a source, with no lock running, are forgotten (the next lock is a first one again).</summary>
    private static readonly TimeSpan ForgetAfter = TimeSpan.FromDays(1);

    private const string UserSelect = """
        select u.partnership_id, p.name as partnership_name, p.short_name as partnership_short_name, u.id as user_id, u.email,
               u.display_name, u.role, u.agency_id, a.name as agency_name, u.security_stamp
        from app_user u
        join partnership p on p.id = u.partnership_id
        left join agency a on a.partnership_id = u.partnership_id and a.id = u.agency_id
        """;

    private sealed record Credentials(int PartnershipId, int Id, string Email, string? PasswordHash, bool Active, string? ExternalSubject);

    private sealed record SourceState(int FailedSignIns, int LockCount, DateTime? LockedUntil, DateTime LastFailedAt);

    /// <summary>
    /// Checks an e-mail address and password. <paramref name="source"/> is where the attempt came from (the client address):
    /// wrong passwords lock the account for that source only, so nobody elsewhere can keep its owner locked out.
    /// </summary>
    public async Task<SignInOutcome> PasswordSignInAsync(string email, string password, string source, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password) || password.Length > 200)
            return new SignInOutcome(SignInStatus.WrongCredentials);
        source = NormaliseSource(source);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // The row lock on the user serialises concurrent attempts on one account, so failures are never lost.
        var user = await conn.QuerySingleOrDefaultAsync<Credentials>(new CommandDefinition(
            """
            select partnership_id, id, email, password_hash, active, external_subject
            from app_user where lower(email) = lower(@Email) for update
            """, new { Email = email.Trim() }, tx, cancellationToken: ct));

        if (user is null || user.PasswordHash is null)
        {
            Hasher.VerifyHashedPassword(new object(), DummyHash, password);
            return new SignInOutcome(SignInStatus.WrongCredentials);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var state = await conn.QuerySingleOrDefaultAsync<SourceState>(new CommandDefinition(
            """
            select failed_sign_ins, lock_count, locked_until, last_failed_at
            from sign_in_lockout where partnership_id = @PartnershipId and user_id = @Id and source = @Source
            """, new { user.PartnershipId, user.Id, Source = source }, tx, cancellationToken: ct));
        if (state?.LockedUntil is { } until && until > now)
            return new SignInOutcome(SignInStatus.LockedOut, LockedUntil: until);

        var verdict = Hasher.VerifyHashedPassword(new object(), user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var outcome = await RecordFailureAsync(conn, tx, user, source, state, now, ct);
            await tx.CommitAsync(ct);
            return outcome;
        }
        if (!user.Active)
            return new SignInOutcome(SignInStatus.Deactivated);

        var newHash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(new object(), password) : null;
        await conn.ExecuteAsync(new CommandDefinition(
            """
            update app_user set last_signed_in_at = @Now, password_hash = coalesce(@NewHash, password_hash)
            where partnership_id = @PartnershipId and id = @Id;
            delete from sign_in_lockout where partnership_id = @PartnershipId and user_id = @Id and source = @Source;
            """, new { NewHash = newHash, user.PartnershipId, user.Id, Source = source, Now = now }, tx, cancellationToken: ct));
        var signedIn = await conn.QuerySingleAsync<SignedInUser>(new CommandDefinition(
            UserSelect + " where u.partnership_id = @PartnershipId and u.id = @Id", new { user.PartnershipId, user.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SignInOutcome(SignInStatus.Succeeded, signedIn);
    }

    private async Task<SignInOutcome> RecordFailureAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Credentials user, string source, SourceState? state, DateTime now, CancellationToken ct)
    {
        // A source quiet for a day (and not locked) starts again from nothing.
        if (state is not null && state.LastFailedAt < now - ForgetAfter)
            state = null;
        var failures = (state?.FailedSignIns ?? 0) + 1;
        var lockCount = state?.LockCount ?? 0;
        DateTime? lockUntil = null;
        if (failures >= lockout.MaxFailedAttempts)
        {
            lockCount++;
            lockUntil = now + lockout.LockDuration(lockCount);
            failures = 0;
        }
        await conn.ExecuteAsync(new CommandDefinition(
            """
            insert into sign_in_lockout (partnership_id, user_id, source, failed_sign_ins, lock_count, locked_until, last_failed_at)
            values (@PartnershipId, @Id, @Source, @Failures, @LockCount, @LockUntil, @Now)
            on conflict (partnership_id, user_id, source) do update
                set failed_sign_ins = excluded.failed_sign_ins, lock_count = excluded.lock_count,
                    locked_until = excluded.locked_until, last_failed_at = excluded.last_failed_at;
            delete from sign_in_lockout
            where partnership_id = @PartnershipId and user_id = @Id and source <> @Source
              and last_failed_at < @Forget and (locked_until is null or locked_until < @Now);
            """, new
            {
                user.PartnershipId, user.Id, Source = source, Failures = failures, LockCount = lockCount, LockUntil = lockUntil,
                Now = now, Forget = now - ForgetAfter,
            }, tx, cancellationToken: ct));
        if (lockUntil is null)
            return new SignInOutcome(SignInStatus.WrongCredentials);
        var minutes = (int)Math.Round((lockUntil.Value - now).TotalMinutes);
        var system = new Actor(user.PartnershipId, 0, "Sign-in", Role.Admin, null);
        await ChangeLog.WriteAsync(conn, tx, system, "user", user.Id, "sign_in_locked",
            $"Locked {user.Email} for {minutes} minutes for sign-ins from {source} after {lockout.MaxFailedAttempts} wrong passwords (lock {lockCount} from there)",
            null, new { Source = source, LockedUntil = lockUntil, LockCount = lockCount }, ct);
        return new SignInOutcome(SignInStatus.LockedOut, LockedUntil: lockUntil);
    }

    /// <summary>The source as stored: trimmed, at most 64 characters, "unknown" when there is none.</summary>
    public static string NormaliseSource(string? source)
    {
        var trimmed = source?.Trim();
        return string.IsNullOrEmpty(trimmed) ? "unknown" : trimmed.Length > 64 ? trimmed[..64] : trimmed;
    }

    /// <summary>
    /// Maps an OpenID Connect identity to a local user: by its subject when an admin (or an earlier sign-in) linked it;
    /// otherwise by e-mail address, and then only when the provider asserts that the address is verified (the "nOAuth"
    /// takeover: an unverified or self-chosen address, or a preferred_username, must never select an account). A linked
    /// subject is kept, so later sign-ins do not depend on the address. Roles and agency always come from the local account.
    /// </summary>
    public async Task<SignInOutcome> ExternalSignInAsync(ExternalIdentity identity, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(identity.Subject) || identity.Subject.Length > 200)
            return new SignInOutcome(SignInStatus.NoAccount);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var user = await conn.QuerySingleOrDefaultAsync<Credentials>(new CommandDefinition(
            """
            select partnership_id, id, email, password_hash, active, external_subject
            from app_user where external_subject = @Subject for update
            """, new { identity.Subject }, tx, cancellationToken: ct));
        if (user is null)
        {
            if (!identity.EmailVerified || string.IsNullOrWhiteSpace(identity.Email))
                return new SignInOutcome(SignInStatus.NotLinked);
            user = await conn.QuerySingleOrDefaultAsync<Credentials>(new CommandDefinition(
                """
                select partnership_id, id, email, password_hash, active, external_subject
                from app_user where external_subject is null and lower(email) = lower(@Email) for update
                """, new { Email = identity.Email.Trim() }, tx, cancellationToken: ct));
            if (user is null)
                return new SignInOutcome(SignInStatus.NoAccount);
        }
        if (!user.Active)
            return new SignInOutcome(SignInStatus.Deactivated);
        await conn.ExecuteAsync(new CommandDefinition(
            "update app_user set external_subject = @Subject, last_signed_in_at = @Now where partnership_id = @PartnershipId and id = @Id",
            new { identity.Subject, user.PartnershipId, user.Id, Now = clock.GetUtcNow().UtcDateTime }, tx, cancellationToken: ct));
        if (user.ExternalSubject is null)
        {
            var system = new Actor(user.PartnershipId, 0, "Sign-in", Role.Admin, null);
            await ChangeLog.WriteAsync(conn, tx, system, "user", user.Id, "update",
                $"Linked {user.Email} to the single sign-on identity {identity.Subject} by its verified e-mail address",
                new { ExternalSubject = (string?)null }, new { ExternalSubject = identity.Subject }, ct);
        }
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
