using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Npgsql;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;

namespace Scorecard.Data.Assurance.SelfAssessment;

/// <summary>A standard of a framework as shipped: code, title, what good looks like, evidence expected.</summary>
public sealed record StandardText(
    string Code, string Title, [property: JsonPropertyName("good")] string WhatGoodLooksLike, [property: JsonPropertyName("evidence")] string EvidenceExpected);

/// <summary>A framework as shipped in <c>frameworks.json</c>.</summary>
public sealed record FrameworkText(string Code, int Version, string Kind, string Title, string Description, IReadOnlyList<StandardText> Standards)
{
    public FrameworkKind FrameworkKind => DbEnum.Parse<FrameworkKind>(Kind);
}

/// <summary>
/// The three frameworks the product ships (issue 11 §3), in the partnership's own words, from the embedded
/// <c>frameworks.json</c>: Section 11 (the ten arrangements of Working Together to Safeguard Children 2023, chapter 2),
/// Section 175/157 (Keeping Children Safe in Education 2025) and a "true for us" exercise.
/// </summary>
public static class BuiltInFrameworks
{
    public const string ResourceName = "Scorecard.Data.Assurance.frameworks.json";
    public const string Section11 = "section-11";
    public const string Section175157 = "section-175-157";
    public const string TrueForUs = "true-for-us-cspr";

    private static readonly Lazy<IReadOnlyList<FrameworkText>> Loaded = new(Load);

    public static IReadOnlyList<FrameworkText> All => Loaded.Value;

    public static FrameworkText Get(string code) =>
        All.FirstOrDefault(f => f.Code == code) ?? throw new ArgumentOutOfRangeException(nameof(code), code, "No such built-in framework");

    private sealed record File(IReadOnlyList<FrameworkText> Frameworks);

    private static IReadOnlyList<FrameworkText> Load()
    {
        using var stream = typeof(BuiltInFrameworks).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing.");
        var file = JsonSerializer.Deserialize<File>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{ResourceName} is empty.");
        return file.Frameworks;
    }

    /// <summary>Writes a framework and its standards into a partnership in the caller's transaction; returns its id.</summary>
    internal static async Task<int> InsertAsync(NpgsqlConnection conn, NpgsqlTransaction tx, int partnershipId, FrameworkText f, CancellationToken ct)
    {
        var id = await conn.ExecuteScalarAsync<int>(new CommandDefinition("""
            insert into framework (partnership_id, code, version, kind, title, description)
            values (@partnershipId, @Code, @Version, @Kind, @Title, @Description) returning id
            """, new { partnershipId, f.Code, f.Version, Kind = f.FrameworkKind.ToDb(), f.Title, f.Description }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            insert into framework_standard (partnership_id, framework_id, position, code, title, what_good_looks_like, evidence_expected)
            select @partnershipId, @id, ord, c, t, g, e from unnest(@Codes, @Titles, @Goods, @Evidence) with ordinality as s(c, t, g, e, ord)
            """, new
        {
            partnershipId, id,
            Codes = f.Standards.Select(s => s.Code).ToArray(), Titles = f.Standards.Select(s => s.Title).ToArray(),
            Goods = f.Standards.Select(s => s.WhatGoodLooksLike).ToArray(), Evidence = f.Standards.Select(s => s.EvidenceExpected).ToArray(),
        }, tx, cancellationToken: ct));
        return id;
    }
}

/// <summary>A framework of the partnership and its standards in order.</summary>
public sealed record FrameworkRow(int Id, string Code, int Version, FrameworkKind Kind, string Title, string Description);

public sealed record StandardRow(int Id, int Position, string Code, string Title, string WhatGoodLooksLike, string EvidenceExpected);

/// <summary>Frameworks: admins and QA members install a shipped one or write their own "true for us" statements.</summary>
public sealed class FrameworkCommands(NpgsqlDataSource dataSource)
{
    /// <summary>Installs a shipped framework (its next version if the partnership already has one with that code).</summary>
    public async Task<Result<int>> InstallBuiltInAsync(Actor actor, string code, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        if (BuiltInFrameworks.All.All(f => f.Code != code))
            return Result<int>.Fail("Code", "There is no shipped framework with that code.");
        return await CreateAsync(actor, BuiltInFrameworks.Get(code), ct);
    }

    /// <summary>Creates a framework from the given texts, as the next version of its code.</summary>
    public async Task<Result<int>> CreateAsync(Actor actor, FrameworkText framework, CancellationToken ct)
    {
        AssuranceAccess.RequireRunner(actor);
        var v = new Validator();
        v.Required(nameof(framework.Title), framework.Title, "Title", 200, 3);
        v.When(framework.Standards.Count is 0 or > 100, nameof(framework.Standards), "A framework needs 1 to 100 standards.");
        v.When(framework.Standards.Select(s => s.Code).Distinct().Count() != framework.Standards.Count, nameof(framework.Standards), "Standard codes must be unique.");
        for (var i = 0; i < framework.Standards.Count; i++)
        {
            v.Required($"Standards[{i}].Title", framework.Standards[i].Title, $"Standard {i + 1}'s title", 300, 3);
            v.Required($"Standards[{i}].WhatGoodLooksLike", framework.Standards[i].WhatGoodLooksLike, $"Standard {i + 1}'s \"what good looks like\"", 4000, 3);
        }
        if (!v.IsValid)
            return Result<int>.Fail(v.Errors);
        return await Transactions.RunAsync(dataSource, async (conn, tx) =>
        {
            var version = await conn.ExecuteScalarAsync<int>(new CommandDefinition(
                "select coalesce(max(version), 0) + 1 from framework where partnership_id = @PartnershipId and code = @Code",
                new { actor.PartnershipId, framework.Code }, tx, cancellationToken: ct));
            var id = await BuiltInFrameworks.InsertAsync(conn, tx, actor.PartnershipId, framework with { Version = version }, ct);
            await ChangeLog.WriteAsync(conn, tx, actor, "framework", id, "create", $"Framework {framework.Code} version {version}: {framework.Title}",
                null, new { framework.Code, Version = version, Standards = framework.Standards.Count }, ct);
            return Result<int>.Ok(id);
        }, e => new FieldError("Code", "That framework version was created at the same moment; try again."), ct);
    }
}
