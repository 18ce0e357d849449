using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Npgsql;
using Scorecard.Data.Common;

namespace Scorecard.Data.Accounts;

/// <summary>What the first-run setup page sends: the partnership and its first administrator.</summary>
public sealed record FirstRunInput(
    string SetupCode, string PartnershipName, string PartnershipShortName, string AdminName, string AdminEmail, string Password);

/// <summary>
/// The one-time first run of a database that holds no partnership (the embedded default started with <c>--no-demo</c>,
/// or an empty configured server). At start-up a random setup code is printed to the console and logged; the setup
/// page asks for it and creates the partnership and its first administrator, after which setup is closed for good
/// (it is open only while no partnership exists, checked again inside the creating transaction).
/// </summary>
public sealed partial class FirstRunSetup(ILogger<FirstRunSetup> logger)
{
    // No 0/O, 1/I/L: the code is read off a console and typed by hand.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    private const int MaxWrongCodes = 10;
    private readonly Lock gate = new();
    private byte[]? codeHash;
    private int wrongCodes;

    /// <summary>The current code, kept only so tests can type it; never shown by the app after it is printed.</summary>
    internal string? Code { get; private set; }

    /// <summary>True while the database holds no partnership and the setup page is offered.</summary>
    public bool IsOpen
    {
        get
        {
            lock (gate)
                return codeHash is not null;
        }
    }

    /// <summary>Opens setup (a new code, printed and logged) when the database holds no partnership yet.</summary>
    public async Task OpenIfEmptyAsync(string connectionString, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        var empty = !await conn.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from partnership)", cancellationToken: ct));
        if (empty)
            NewCode();
    }

    private void NewCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, 12);
        var code = $"{new string(chars, 0, 4)}-{new string(chars, 4, 4)}-{new string(chars, 8, 4)}";
        lock (gate)
        {
            Code = code;
            codeHash = Hash(code);
            wrongCodes = 0;
        }
        // Printed straight to the console as well as logged, so it is seen whatever the log level.
        Console.WriteLine();
        Console.WriteLine("  Scorecard first-run setup: open /setup in the browser and enter this one-time code:");
        Console.WriteLine($"      {code}");
        Console.WriteLine();
        logger.LogWarning("First-run setup is open at /setup; the one-time setup code is {SetupCode}", code);
    }

    /// <summary>Checks a code typed on the setup page (constant time; after too many wrong codes a new one is printed).</summary>
    internal bool Check(string? code)
    {
        var typed = Hash(Normalise(code));
        lock (gate)
        {
            if (codeHash is null)
                return false;
            if (CryptographicOperations.FixedTimeEquals(typed, codeHash))
                return true;
            wrongCodes++;
        }
        logger.LogWarning("A wrong first-run setup code was entered");
        if (Volatile.Read(ref wrongCodes) >= MaxWrongCodes)
        {
            logger.LogWarning("Too many wrong setup codes: the old code no longer works and a new one follows");
            NewCode();
        }
        return false;
    }

    internal void Close()
    {
        lock (gate)
        {
            codeHash = null;
            Code = null;
        }
        logger.LogInformation("First-run setup is complete and closed");
    }

    private static string Normalise(string? code) =>
        new string((code ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray()) is { Length: 12 } c
            ? $"{c[..4]}-{c[4..8]}-{c[8..]}"
            : code ?? "";

    private static byte[] Hash(string code) => SHA256.HashData(Encoding.UTF8.GetBytes(code));

    [GeneratedRegex("^[a-z0-9-]{2,40}$")]
    internal static partial Regex PartnershipCode();
}

/// <summary>Creates the partnership and its first administrator from the setup page, in one transaction, logged.</summary>
public sealed class FirstRunSetupCommand(NpgsqlDataSource dataSource, FirstRunSetup setup)
{
    private static readonly PasswordHasher<object> Hasher = new();

    /// <summary>True while setup is open (no partnership yet).</summary>
    public bool IsOpen => setup.IsOpen;

    /// <summary>
    /// Closes setup when the database already holds a partnership (another app instance on the same database completed
    /// it); the setup page asks before offering the form.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken ct = default)
    {
        if (!setup.IsOpen)
            return false;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from partnership)", cancellationToken: ct)))
            setup.Close();
        return setup.IsOpen;
    }

    /// <summary>Creates the partnership and its administrator when the code is right; returns the new partnership's id.</summary>
    public async Task<Result<int>> CompleteAsync(FirstRunInput input, CancellationToken ct = default)
    {
        if (!setup.IsOpen)
            return Result<int>.Fail(nameof(FirstRunInput.SetupCode), "Setup has already been completed. Sign in instead.");

        var v = new Validator();
        v.Required(nameof(FirstRunInput.PartnershipName), input.PartnershipName, "The partnership's name", 200, 2);
        v.Required(nameof(FirstRunInput.PartnershipShortName), input.PartnershipShortName, "The short name", 20, 2);
        v.Required(nameof(FirstRunInput.AdminName), input.AdminName, "Your name", 120, 2);
        v.Required(nameof(FirstRunInput.AdminEmail), input.AdminEmail, "Your e-mail address");
        v.When(!string.IsNullOrWhiteSpace(input.AdminEmail) && !Regex.IsMatch(input.AdminEmail.Trim(), @"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
            nameof(FirstRunInput.AdminEmail), "Enter an e-mail address like name@example.org.");
        v.When((input.Password ?? "").Length < UserCommands.MinimumPasswordLength, nameof(FirstRunInput.Password),
            $"The password must be at least {UserCommands.MinimumPasswordLength} characters.");
        v.When((input.Password ?? "").Length > 200, nameof(FirstRunInput.Password), "The password must be at most 200 characters.");
        var code = PartnershipCodeFrom(input.PartnershipShortName);
        v.When(!string.IsNullOrWhiteSpace(input.PartnershipShortName) && !FirstRunSetup.PartnershipCode().IsMatch(code),
            nameof(FirstRunInput.PartnershipShortName), "The short name needs at least two letters or digits.");
        // Every attempt checks the code (a wrong one counts towards the limit), whatever else the form got wrong.
        if (!setup.Check(input.SetupCode))
            v.Add(nameof(FirstRunInput.SetupCode), "That is not the setup code printed in the app's console. Check it and try again.");
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two setups at once: the second waits here and then finds the partnership the first created.
        await conn.ExecuteAsync(new CommandDefinition("lock table partnership in exclusive mode", transaction: tx, cancellationToken: ct));
        if (await conn.ExecuteScalarAsync<bool>(new CommandDefinition("select exists(select 1 from partnership)", transaction: tx, cancellationToken: ct)))
        {
            setup.Close();
            return Result<int>.Fail(nameof(FirstRunInput.SetupCode), "Setup has already been completed. Sign in instead.");
        }

        const string insertPartnership = """
            insert into partnership (code, name, short_name) values (@Code, @Name, @ShortName) returning id
            """;
        var partnershipId = await conn.ExecuteScalarAsync<int>(new CommandDefinition(insertPartnership,
            new { Code = code, Name = input.PartnershipName.Trim(), ShortName = input.PartnershipShortName.Trim() }, tx, cancellationToken: ct));
        const string insertAdmin = """
            insert into app_user (partnership_id, email, display_name, role, password_hash)
            values (@PartnershipId, @Email, @DisplayName, @Role, @Hash) returning id
            """;
        var email = input.AdminEmail.Trim();
        var userId = await conn.ExecuteScalarAsync<int>(new CommandDefinition(insertAdmin, new
        {
            PartnershipId = partnershipId, Email = email, DisplayName = input.AdminName.Trim(), Role = Roles.Admin,
            Hash = Hasher.HashPassword(new object(), input.Password!),
        }, tx, cancellationToken: ct));
        var actor = new Actor(partnershipId, userId, input.AdminName.Trim(), Role.Admin, null);
        await ChangeLog.WriteAsync(conn, tx, actor, "partnership", partnershipId, "create",
            $"First-run setup created the partnership {input.PartnershipName.Trim()}", null,
            new { Name = input.PartnershipName.Trim(), ShortName = input.PartnershipShortName.Trim(), Code = code }, ct);
        await ChangeLog.WriteAsync(conn, tx, actor, "user", userId, "create", $"First-run setup created the administrator {email}", null,
            new { Email = email, DisplayName = input.AdminName.Trim(), Role = Roles.Admin }, ct);
        await tx.CommitAsync(ct);
        setup.Close();
        return Result<int>.Ok(partnershipId);
    }

    private static string PartnershipCodeFrom(string? shortName) =>
        Regex.Replace((shortName ?? "").Trim().ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');
}
