using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Scorecard.Data.Common;

namespace Scorecard.Data.Accounts;

/// <summary>A user as the admin pages list them (never with the password hash).</summary>
public sealed record UserRow(
    int Id, string Email, string DisplayName, string Role, int? AgencyId, string? AgencyName,
    bool Active, bool HasPassword, string? ExternalSubject, DateTime? LockedUntil, DateTime? LastSignedInAt, DateTime CreatedAt);

/// <summary>What the admin form sends to create or edit a user.</summary>
public sealed record UserInput(string Email, string DisplayName, string Role, int? AgencyId);

/// <summary>Accounts: list, create, change role and agency, reset password, deactivate, unlock, link single sign-on. Admin only.</summary>
public sealed class UserCommands(NpgsqlDataSource dataSource, TimeProvider? clock = null)
{
    /// <summary>Now by the app's clock (the demo's, on the demo), which is the clock sign-in locks are written by.</summary>
    private DateTime Now => (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;

    public const int MinimumPasswordLength = 12;
    private static readonly PasswordHasher<object> Hasher = new();

    public async Task<IReadOnlyList<UserRow>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        const string sql = """
            select u.id, u.email, u.display_name, u.role, u.agency_id, a.name as agency_name, u.active,
                   u.password_hash is not null as has_password, u.external_subject,
                   (select max(l.locked_until) from sign_in_lockout l
                    where l.partnership_id = u.partnership_id and l.user_id = u.id and l.locked_until > @Now) as locked_until,
                   u.last_signed_in_at, u.created_at
            from app_user u
            left join agency a on a.partnership_id = u.partnership_id and a.id = u.agency_id
            where u.partnership_id = @PartnershipId
            order by u.active desc, lower(u.display_name)
            """;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<UserRow>(new CommandDefinition(sql, new { actor.PartnershipId, Now }, cancellationToken: ct))).ToList();
    }

    public async Task<Result<int>> CreateAsync(Actor actor, UserInput input, string password, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        ValidatePassword(v, password);
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var agencyError = await CheckAgencyAsync(conn, tx, actor, input, ct);
        if (agencyError is not null)
            return Result<int>.Fail(agencyError.Field, agencyError.Message);
        const string sql = """
            insert into app_user (partnership_id, email, display_name, role, agency_id, password_hash)
            values (@PartnershipId, @Email, @DisplayName, @Role, @AgencyId, @Hash)
            returning id
            """;
        try
        {
            var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition(sql, new
            {
                actor.PartnershipId,
                Email = input.Email.Trim(),
                DisplayName = input.DisplayName.Trim(),
                input.Role,
                AgencyId = input.Role == Roles.AgencyUser ? input.AgencyId : null,
                Hash = Hasher.HashPassword(new object(), password),
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "user", id, "create", $"Created user {input.Email.Trim()} ({input.Role})",
                null, Snapshot(input), ct);
            await tx.CommitAsync(ct);
            return Result<int>.Ok(id);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Result<int>.Fail(nameof(UserInput.Email), "Another account already uses this e-mail address.");
        }
    }

    public async Task<Result<int>> UpdateAsync(Actor actor, int userId, UserInput input, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = Validate(input);
        if (userId == actor.UserId && input.Role != Roles.Admin)
            v.Add(nameof(UserInput.Role), "You cannot remove your own administrator role.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await GetForUpdateAsync(conn, tx, actor, userId, ct);
        if (before is null)
            return Result<int>.Fail("", "That user does not exist.");
        var agencyError = await CheckAgencyAsync(conn, tx, actor, input, ct);
        if (agencyError is not null)
            return Result<int>.Fail(agencyError.Field, agencyError.Message);
        // Changing role or agency changes what the user may see: a new security stamp ends their open sessions.
        const string sql = """
            update app_user set email = @Email, display_name = @DisplayName, role = @Role, agency_id = @AgencyId,
                security_stamp = case when role <> @Role or agency_id is distinct from @AgencyId then gen_random_uuid() else security_stamp end
            where partnership_id = @PartnershipId and id = @Id
            """;
        try
        {
            await conn.ExecuteAsync(new CommandDefinition(sql, new
            {
                actor.PartnershipId,
                Id = userId,
                Email = input.Email.Trim(),
                DisplayName = input.DisplayName.Trim(),
                input.Role,
                AgencyId = input.Role == Roles.AgencyUser ? input.AgencyId : null,
            }, tx, cancellationToken: ct));
            await ChangeLog.WriteAsync(conn, tx, actor, "user", userId, "update", $"Updated user {input.Email.Trim()}",
                before, Snapshot(input), ct);
            await tx.CommitAsync(ct);
            return Result<int>.Ok(userId);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Result<int>.Fail(nameof(UserInput.Email), "Another account already uses this e-mail address.");
        }
    }

    public async Task<Result<int>> ResetPasswordAsync(Actor actor, int userId, string newPassword, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var v = new Validator();
        ValidatePassword(v, newPassword);
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await GetForUpdateAsync(conn, tx, actor, userId, ct);
        if (before is null)
            return Result<int>.Fail("", "That user does not exist.");
        const string sql = """
            update app_user set password_hash = @Hash, security_stamp = gen_random_uuid()
            where partnership_id = @PartnershipId and id = @Id;
            delete from sign_in_lockout where partnership_id = @PartnershipId and user_id = @Id;
            """;
        await conn.ExecuteAsync(new CommandDefinition(sql, new
        {
            actor.PartnershipId, Id = userId, Hash = Hasher.HashPassword(new object(), newPassword),
        }, tx, cancellationToken: ct));
        // The log records that the password changed, never the password or its hash.
        await ChangeLog.WriteAsync(conn, tx, actor, "user", userId, "password_reset", $"Reset the password of {before.Email}", null, null, ct);
        await tx.CommitAsync(ct);
        return Result<int>.Ok(userId);
    }

    public async Task<Result<int>> SetActiveAsync(Actor actor, int userId, bool active, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        if (userId == actor.UserId && !active)
            return Result<int>.Fail("", "You cannot deactivate your own account.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await GetForUpdateAsync(conn, tx, actor, userId, ct);
        if (before is null)
            return Result<int>.Fail("", "That user does not exist.");
        const string sql = """
            update app_user set active = @Active, security_stamp = gen_random_uuid()
            where partnership_id = @PartnershipId and id = @Id
            """;
        await conn.ExecuteAsync(new CommandDefinition(sql, new { actor.PartnershipId, Id = userId, Active = active }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "user", userId, active ? "reactivate" : "deactivate",
            $"{(active ? "Reactivated" : "Deactivated")} {before.Email}", new { before.Active }, new { Active = active }, ct);
        await tx.CommitAsync(ct);
        return Result<int>.Ok(userId);
    }

    /// <summary>
    /// Clears every sign-in lock of an account (from every source) and its counts of wrong passwords. Logged.
    /// </summary>
    public async Task<Result<int>> UnlockAsync(Actor actor, int userId, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await GetForUpdateAsync(conn, tx, actor, userId, ct);
        if (before is null)
            return Result<int>.Fail("", "That user does not exist.");
        const string sql = """
            with cleared as (
                delete from sign_in_lockout where partnership_id = @PartnershipId and user_id = @Id
                returning locked_until
            )
            select count(*) filter (where locked_until > @Now)::int from cleared
            """;
        var locks = await conn.ExecuteScalarAsync<int>(new CommandDefinition(sql, new { actor.PartnershipId, Id = userId, Now }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "user", userId, "update",
            $"Unlocked {before.Email} ({locks} running lock{(locks == 1 ? "" : "s")} cleared)", new { LockedSources = locks }, new { LockedSources = 0 }, ct);
        await tx.CommitAsync(ct);
        return Result<int>.Ok(userId);
    }

    /// <summary>
    /// Links an account to a single sign-on identity (the provider's subject: for Entra ID the user's object ID), so that
    /// it signs in whatever e-mail address the provider sends; an empty subject removes the link. Logged.
    /// </summary>
    public async Task<Result<int>> LinkExternalSignInAsync(Actor actor, int userId, string? subject, CancellationToken ct = default)
    {
        actor.RequireAdmin();
        var value = string.IsNullOrWhiteSpace(subject) ? null : subject.Trim();
        if (value is { Length: > 200 })
            return Result<int>.Fail(nameof(UserRow.ExternalSubject), "The single sign-on ID must be at most 200 characters.");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var before = await conn.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "select coalesce(external_subject, '') from app_user where partnership_id = @PartnershipId and id = @Id for update",
            new { actor.PartnershipId, Id = userId }, tx, cancellationToken: ct));
        if (before is null)
            return Result<int>.Fail("", "That user does not exist.");
        if (before == (value ?? ""))
            return Result<int>.Ok(userId);
        try
        {
            // A new link (or none) ends the sessions signed in through the old one.
            await conn.ExecuteAsync(new CommandDefinition(
                """
                update app_user set external_subject = @Subject, security_stamp = gen_random_uuid()
                where partnership_id = @PartnershipId and id = @Id
                """, new { actor.PartnershipId, Id = userId, Subject = value }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Result<int>.Fail(nameof(UserRow.ExternalSubject), "Another account is already linked to this single sign-on ID.");
        }
        var email = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "select email from app_user where partnership_id = @PartnershipId and id = @Id", new { actor.PartnershipId, Id = userId }, tx, cancellationToken: ct));
        await ChangeLog.WriteAsync(conn, tx, actor, "user", userId, "update",
            value is null ? $"Removed the single sign-on link of {email}" : $"Linked {email} to the single sign-on ID {value}",
            new { ExternalSubject = before.Length == 0 ? null : before }, new { ExternalSubject = value }, ct);
        await tx.CommitAsync(ct);
        return Result<int>.Ok(userId);
    }

    internal static string HashPassword(string password) => Hasher.HashPassword(new object(), password);

    private static object Snapshot(UserInput input) => new
    {
        Email = input.Email.Trim(), DisplayName = input.DisplayName.Trim(), input.Role,
        AgencyId = input.Role == Roles.AgencyUser ? input.AgencyId : null,
    };

    private sealed record Existing(string Email, string DisplayName, string Role, int? AgencyId, bool Active);

    private static Task<Existing?> GetForUpdateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, int userId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<Existing>(new CommandDefinition(
            "select email, display_name, role, agency_id, active from app_user where partnership_id = @PartnershipId and id = @Id for update",
            new { actor.PartnershipId, Id = userId }, tx, cancellationToken: ct));

    private static async Task<FieldError?> CheckAgencyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Actor actor, UserInput input, CancellationToken ct)
    {
        if (input.Role != Roles.AgencyUser)
            return null;
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "select exists(select 1 from agency where partnership_id = @PartnershipId and id = @AgencyId and active)",
            new { actor.PartnershipId, input.AgencyId }, tx, cancellationToken: ct));
        return exists ? null : new FieldError(nameof(UserInput.AgencyId), "Choose an active agency of this partnership.");
    }

    private static Validator Validate(UserInput input)
    {
        var v = new Validator();
        v.Required(nameof(UserInput.Email), input.Email, "E-mail address");
        if (!string.IsNullOrWhiteSpace(input.Email) && !System.Text.RegularExpressions.Regex.IsMatch(input.Email.Trim(), @"^[^@\s]+@[^@\s]+\.[^@\s]+$"))
            v.Add(nameof(UserInput.Email), "Enter an e-mail address like name@agency.gov.uk.");
        v.Required(nameof(UserInput.DisplayName), input.DisplayName, "Name", 120, minLength: 2);
        if (!Roles.All.Contains(input.Role))
            v.Add(nameof(UserInput.Role), "Choose a role.");
        v.When(input.Role == Roles.AgencyUser && input.AgencyId is null, nameof(UserInput.AgencyId), "An agency user must belong to an agency.");
        return v;
    }

    private static void ValidatePassword(Validator v, string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinimumPasswordLength)
            v.Add("Password", $"The password must be at least {MinimumPasswordLength} characters.");
        else if (password.Length > 200)
            v.Add("Password", "The password must be at most 200 characters.");
    }
}
