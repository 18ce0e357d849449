using System.Diagnostics;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Scorecard.Data.Accounts;
using Scorecard.Data.Common;
using Scorecard.Data.Assurance.Audits;
using Scorecard.Data.Assurance.SelfAssessment;
using Scorecard.Data.Demo;
using Scorecard.Data.Improvement;
using Scorecard.Data.Meetings;
using Scorecard.Data.Meetings.Pack;
using Scorecard.Data.Meetings.Sources;
using Scorecard.Data.Performance;
using Scorecard.Data.Returns;
using Scorecard.Data.Triangulation;

namespace Scorecard.Bench;

/// <summary>
/// The meeting benchmark of issue 13 §4: building a QA meeting's agenda (every agenda source the app registers: scorecard
/// exceptions, late returns, audits reported, contested themes, risks, plans, actions and challenges; the scorecard read
/// from the database once, as on a read-model miss) and generating its pack (model, charts drawn, .docx written and
/// stored), against the floor of reading the same rows raw (each source's statements, the meeting's) and writing an
/// empty document of the same structure (same headings, tables and image slots; no text, no charts drawn). Then the
/// same with 150 partnerships in the database. Options: <c>--quick</c> skips the other partnerships;
/// <c>--partnerships N</c> sets how many (default 150).
/// </summary>
public static class MeetingSuite
{
    private const int Runs = 21;
    // At least enough for every pooled connection to have prepared each statement (Npgsql: after 5 uses) and for
    // PostgreSQL to have settled on its plan (after 5 custom plans); then until the JIT has settled (SettleAsync).
    private const int Warmups = 60;
    private static readonly byte[] OnePixelPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    public static async Task RunAsync(BenchContext context)
    {
        var total = Stopwatch.StartNew();
        var cs = await context.CreateMigratedDatabaseAsync("meeting");
        await using var dataSource = ScorecardDataSource.Create(cs);
        var demo = DemoGenerator.Generate();
        var (partnershipId, _) = await DemoLoader.LoadAsync(dataSource, demo);
        await AnalyzeAsync(dataSource);
        var actor = await QaAsync(dataSource, partnershipId);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (rig1, meeting1) = await PrepareAsync(dataSource, actor, today);
        var version = (await rig1.OnceAsync(meeting1)).Charts;
        var stored = await new MeetingQueries(dataSource, TimeProvider.System).GetPackAsync(actor, meeting1, version, CancellationToken.None);
        var storedModel = PackModel.FromJson(stored!.Model);
        var probe = new Probe(storedModel.Items.Count, storedModel.Items.Count(i => i.Chart is not null), stored.Docx.Length);
        Progress($"1 partnership: agenda of {probe.Items} items, pack {probe.Bytes:N0} bytes with {probe.Charts} charts");

        var single = await InterleavedAsync([() => rig1.OnceAsync(meeting1), () => FloorAsync(dataSource, actor, meeting1, today)]);
        Progress($"1 partnership: meeting {single[0]:0.0} ms, floor {single[1]:0.0} ms");
        // After the warm-up, so the parts are timed as settled code.
        if (context.Args.Contains("--diagnose"))
            await DiagnoseAsync(dataSource, actor, meeting1);
        // The figures above regenerate one meeting's pack, so its charts come from the chart cache (pack_chart) after the
        // first run, as when a pack is generated again after the meeting. Cold: every chart drawn (the cache emptied first).
        // Cold runs alternate with the floor, so both see the same machine (other builds come and go).
        var cold = new List<double>();
        var coldFloor = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            await using (var clear = dataSource.CreateCommand("delete from pack_chart"))
                await clear.ExecuteNonQueryAsync();
            var sw1 = Stopwatch.StartNew();
            await rig1.OnceAsync(meeting1);
            cold.Add(sw1.Elapsed.TotalMilliseconds);
            sw1.Restart();
            await FloorAsync(dataSource, actor, meeting1, today);
            coldFloor.Add(sw1.Elapsed.TotalMilliseconds);
        }
        var coldMs = cold.Order().ElementAt(cold.Count / 2);
        var coldFloorMs = coldFloor.Order().ElementAt(coldFloor.Count / 2);
        Progress($"1 partnership, charts not cached: meeting {coldMs:0.0} ms, floor alongside {coldFloorMs:0.0} ms ({coldMs / coldFloorMs:0.00}x)");

        var count = 1;
        double[]? many = null;
        if (!context.Args.Contains("--quick"))
        {
            var wanted = PartnershipsArg(context.Args);
            var cs150 = await context.CreateMigratedDatabaseAsync("meeting150");
            await using var dataSource150 = ScorecardDataSource.Create(cs150);
            var (first, _) = await DemoLoader.LoadAsync(dataSource150, demo);
            var sw = Stopwatch.StartNew();
            for (var i = 1; i < wanted; i++)
            {
                await DemoLoader.LoadAsync(dataSource150, demo with { Code = $"bench-{i:000}", Name = $"{demo.Name} (copy {i})", ShortName = $"B{i:000}", Users = [] });
                if (i % 10 == 0)
                    Progress($"  {i + 1}/{wanted} partnerships loaded ({sw.Elapsed.TotalSeconds:0} s)");
            }
            await AnalyzeAsync(dataSource150);
            count = await dataSource150.CreateCommand("select count(*)::int from partnership").ExecuteScalarAsync() is int n ? n : wanted;
            var actor150 = await QaAsync(dataSource150, first);
            var (rig150, meeting150) = await PrepareAsync(dataSource150, actor150, today);
            many = await InterleavedAsync([
                () => rig1.OnceAsync(meeting1), () => FloorAsync(dataSource, actor, meeting1, today),
                () => rig150.OnceAsync(meeting150), () => FloorAsync(dataSource150, actor150, meeting150, today)]);
            Progress($"{count} partnerships: meeting {many[2]:0.0} ms, floor {many[3]:0.0} ms (1 partnership alongside: meeting {many[0]:0.0} ms, floor {many[1]:0.0} ms)");
            if (context.Args.Contains("--diagnose"))
            {
                await SourceTimesAsync(dataSource150, actor150);
                await StatementTimesAsync(dataSource, actor, meeting1);
                await StatementTimesAsync(dataSource150, actor150, meeting150);
            }
        }
        Progress($"whole suite {total.Elapsed.TotalSeconds:0} s");

        BenchContext.Figure("meeting_agenda_items", probe.Items);
        BenchContext.Figure("meeting_pack_charts", probe.Charts);
        BenchContext.Figure("meeting_ms", single[0]);
        BenchContext.Figure("meeting_floor_ms", single[1]);
        BenchContext.Figure("meeting_vs_floor_ratio", single[0] / single[1]);
        BenchContext.Figure("meeting_cold_charts_ms", coldMs);
        BenchContext.Figure("meeting_cold_charts_floor_ms", coldFloorMs);
        BenchContext.Figure("meeting_cold_charts_vs_floor_ratio", coldMs / coldFloorMs);
        if (many is not null)
        {
            BenchContext.Figure("meeting_partnerships", count);
            BenchContext.Figure("meeting_150_ms", many[2]);
            BenchContext.Figure("meeting_150_vs_1_ratio", many[2] / many[0]);
            BenchContext.Figure("meeting_150_vs_floor_ratio", many[2] / many[3]);
        }
    }

    /// <summary>Where the time goes, to stderr: the agenda, the model, the charts, the document, the store.</summary>
    private static async Task DiagnoseAsync(NpgsqlDataSource dataSource, Actor actor, int meetingId)
    {
        var clock = TimeProvider.System;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var readModel = new ScorecardReadModel(new ScorecardQueries(dataSource, clock), clock);
        var snapshot = await BenchContext.MedianMillisecondsAsync(() => readModel.GetAsync(actor.PartnershipId, CancellationToken.None), 7, 2);
        readModel.SetListening(true);
        var commands = Commands(dataSource, Sources(dataSource, readModel, clock), clock);
        var agenda = await BenchContext.MedianMillisecondsAsync(() => commands.BuildAgendaAsync(actor, meetingId, CancellationToken.None), 7, 2);
        var packs = new MeetingPackService(dataSource, readModel);
        var preview = await BenchContext.MedianMillisecondsAsync(() => packs.PreviewAsync(actor, meetingId, CancellationToken.None), 7, 2);
        var model = (await packs.PreviewAsync(actor, meetingId, CancellationToken.None))!;
        var chart = model.Items.First(i => i.Chart is not null).Chart!;
        await SourceTimesAsync(dataSource, actor);
        if (Environment.GetEnvironmentVariable("SCORECARD_BENCH_CHARTS") is { Length: > 0 } folder)
        {
            // To look at what is drawn: every chart of the pack as a PNG file.
            Directory.CreateDirectory(folder);
            foreach (var (item, n) in model.Items.Select((item, n) => (item, n)).Where(x => x.item.Chart is not null || x.item.HeatMap is not null))
                await File.WriteAllBytesAsync(Path.Combine(folder, $"item-{n + 1:00}.png"), item.Chart is { } c ? PackCharts.Xmr(c) : PackCharts.HeatMap(item.HeatMap!));
        }
        var draw = await BenchContext.MedianMillisecondsAsync(() => { PackCharts.Xmr(chart); return Task.CompletedTask; }, 7, 2);
        var charts = model.Items.Where(i => i.Chart is not null).Select(i => i.Chart!).ToList();
        var drawAll = await BenchContext.MedianMillisecondsAsync(() => { foreach (var c in charts) PackCharts.Xmr(c); return Task.CompletedTask; }, 7, 2);
        var empty = await BenchContext.MedianMillisecondsAsync(() => { PackDocument.Write(model, _ => OnePixelPng, _ => OnePixelPng); return Task.CompletedTask; }, 7, 2);
        foreach (var c in charts)
            Progress($"    {c.Title[..Math.Min(30, c.Title.Length)]}: {await BenchContext.MedianMillisecondsAsync(() => { PackCharts.Xmr(c); return Task.CompletedTask; }, 5, 1):0.0} ms, {PackCharts.Xmr(c).Length:N0} bytes");
        Progress($"  all {charts.Count} charts one after another {drawAll:0.0} ms; the document with one-pixel charts {empty:0.0} ms");
        var write = await BenchContext.MedianMillisecondsAsync(() => { PackDocument.Write(model); return Task.CompletedTask; }, 7, 2);
        var generate = await BenchContext.MedianMillisecondsAsync(() => packs.GenerateAsync(actor, meetingId, CancellationToken.None), 7, 2);
        Progress($"  snapshot (miss) {snapshot:0.0} ms; agenda (hit) {agenda:0.0} ms; model (hit) {preview:0.0} ms; one chart {draw:0.0} ms; document {write:0.0} ms; generate and store (hit) {generate:0.0} ms");
        // Cold: nothing in pack_chart. Drawn and written with a fresh cache (no database), the drawn charts stored (rolled
        // back), and the whole generation with the cache emptied first.
        var drawAndWrite = await BenchContext.MedianMillisecondsAsync(() =>
        {
            var fresh = PackChartCache.Empty();
            PackDocument.Write(model, fresh.Xmr, fresh.HeatMap);
            return Task.CompletedTask;
        }, 7, 2);
        var filled = PackChartCache.Empty();
        PackDocument.Write(model, filled.Xmr, filled.HeatMap);
        var save = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await filled.SaveAsync(conn, tx, actor.PartnershipId, CancellationToken.None);
            await tx.RollbackAsync();
        }, 7, 2);
        var saveCommitted = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            await using (var clear = dataSource.CreateCommand("delete from pack_chart"))
                await clear.ExecuteNonQueryAsync();
            var sw = Stopwatch.StartNew();
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await filled.SaveAsync(conn, tx, actor.PartnershipId, CancellationToken.None);
            await tx.CommitAsync();
            Progress($"    stored and committed {sw.Elapsed.TotalMilliseconds:0.0} ms");
        }, 5, 1);
        var commitEmpty = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await conn.ExecuteAsync("insert into pack_chart (partnership_id, input_sha256, png) values (@p, @k, '\\x00') on conflict do nothing", new { p = actor.PartnershipId, k = new byte[32] }, tx);
            await tx.CommitAsync();
        }, 5, 1);
        Progress($"  charts stored and committed {saveCommitted:0.0} ms (with the delete); a one-row commit {commitEmpty:0.0} ms");
        var coldGenerate = await BenchContext.MedianMillisecondsAsync(async () =>
        {
            await using (var clear = dataSource.CreateCommand("delete from pack_chart"))
                await clear.ExecuteNonQueryAsync();
            await packs.GenerateAsync(actor, meetingId, CancellationToken.None);
        }, 7, 2);
        Progress($"  cold: charts drawn and document written {drawAndWrite:0.0} ms; {filled.Drawn} charts stored {save:0.0} ms; generate and store (cold, with the delete) {coldGenerate:0.0} ms");
    }

    /// <summary>Each raw statement of the floor on its own (to stderr): which of them grows with the partnerships.</summary>
    private static async Task StatementTimesAsync(NpgsqlDataSource dataSource, Actor actor, int meetingId)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (string Name, string Sql)[] statements =
        [
            ("measures", ScorecardQueries.MeasuresSql), ("periods", ScorecardQueries.PeriodsSql), ("agencies", ScorecardQueries.AgenciesSql),
            ("reporters", ScorecardQueries.ReportersSql), ("values", ScorecardQueries.ValuesSql), ("process changes", ScorecardQueries.ProcessChangesSql),
            ("ghosted", ScorecardQueries.GhostedPointsSql), ("audits", AuditAgendaSource.ReportedSql), ("evidence", TriangulationQueries.EvidenceSql),
            ("judgements", TriangulationQueries.JudgementSql), ("risks", ImprovementAgendaSource.RisksSql), ("plans", ActionQueries.AwaitingSignOffSql),
            ("actions", ImprovementAgendaSource.ActionsSql), ("challenges", ImprovementAgendaSource.ChallengesSql),
        ];
        foreach (var (name, sql) in statements)
        {
            var ms = await BenchContext.MedianMillisecondsAsync(async () =>
            {
                await using var conn = await dataSource.OpenConnectionAsync();
                await ReadAllAsync(conn, sql, c =>
                {
                    c.Parameters.Add(new NpgsqlParameter<int>("PartnershipId", NpgsqlDbType.Integer) { TypedValue = actor.PartnershipId });
                    c.Parameters.Add(new NpgsqlParameter<DateOnly>("Today", NpgsqlDbType.Date) { TypedValue = today });
                    c.Parameters.Add(new NpgsqlParameter("ThemeId", NpgsqlDbType.Integer) { Value = DBNull.Value });
                    c.Parameters.Add(new NpgsqlParameter("AgencyId", NpgsqlDbType.Integer) { Value = DBNull.Value });
                    c.Parameters.Add(new NpgsqlParameter<DateOnly>("since", NpgsqlDbType.Date) { TypedValue = today.AddMonths(-2) });
                    c.Parameters.Add(new NpgsqlParameter<DateOnly>("meetingDate", NpgsqlDbType.Date) { TypedValue = today.AddDays(14) });
                });
            }, 11, 3);
            Progress($"  statement {name}: {ms:0.00} ms");
        }
    }

    /// <summary>Each agenda source's time on its own, the scorecard snapshot warm (to stderr).</summary>
    private static async Task SourceTimesAsync(NpgsqlDataSource dataSource, Actor actor)
    {
        var clock = TimeProvider.System;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var readModel = new ScorecardReadModel(new ScorecardQueries(dataSource, clock), clock);
        readModel.SetListening(true);
        foreach (var source in Sources(dataSource, readModel, clock))
        {
            var candidates = (await source.FindAsync(actor, today.AddMonths(-2), today.AddDays(14), CancellationToken.None)).Count;
            var ms = await BenchContext.MedianMillisecondsAsync(() => source.FindAsync(actor, today.AddMonths(-2), today.AddDays(14), CancellationToken.None), 7, 2);
            Progress($"  agenda source {source.GetType().Name}: {candidates} candidates, {ms:0.0} ms (snapshot warm)");
        }
    }

    private static MeetingCommands Commands(NpgsqlDataSource dataSource, IEnumerable<IAgendaSource> sources, TimeProvider clock) =>
        new(dataSource, sources, clock, new ChallengeCommands(dataSource, clock), new ActionCommands(dataSource, clock, new AssuranceOptions()));

    /// <summary>Every agenda source the app registers (as in <c>AddScorecardData</c>), on the given read model.</summary>
    private static IAgendaSource[] Sources(NpgsqlDataSource dataSource, ScorecardReadModel readModel, TimeProvider clock) =>
    [
        new ScorecardExceptionsAgendaSource(readModel), new LateReturnsAgendaSource(new ReturnQueries(dataSource, clock)),
        new AuditAgendaSource(dataSource, new AuditQueries(dataSource)), new TriangulationAgendaSource(new TriangulationQueries(dataSource, readModel)),
        new ImprovementAgendaSource(dataSource),
    ];

    private sealed record Probe(int Items, int Charts, int Bytes);

    /// <summary>One meeting's agenda build and pack, with a fresh read model (so the scorecard is read once, as on a miss).</summary>
    private sealed class Rig(NpgsqlDataSource dataSource, Actor actor)
    {
        public async Task<Probe> OnceAsync(int meetingId)
        {
            var clock = TimeProvider.System;
            var readModel = new ScorecardReadModel(new ScorecardQueries(dataSource, clock), clock);
            // Listening, so the agenda and the pack share the one snapshot this run builds (as they do in the app).
            readModel.SetListening(true);
            var commands = Commands(dataSource, Sources(dataSource, readModel, clock), clock);
            var built = await commands.BuildAgendaAsync(actor, meetingId, CancellationToken.None);
            var version = await new MeetingPackService(dataSource, readModel).GenerateAsync(actor, meetingId, CancellationToken.None);
            if (!built.Succeeded || !version.Succeeded)
                throw new InvalidOperationException("The meeting could not be built.");
            return new Probe(built.Value, version.Value, 0);
        }
    }

    private static async Task<(Rig Rig, int MeetingId)> PrepareAsync(NpgsqlDataSource dataSource, Actor actor, DateOnly today)
    {
        var clock = TimeProvider.System;
        var commands = Commands(dataSource, [], clock);
        var id = (await commands.CreateAsync(actor, new NewMeeting(MeetingKind.QaSubgroup, "Benchmark meeting", today.AddDays(14)), CancellationToken.None)).Value;
        return (new Rig(dataSource, actor), id);
    }

    /// <summary>
    /// The floor: the scorecard's statements, the tracker's and the meeting's, read raw (every cell, nothing mapped), and
    /// an empty document of the pack's structure written (the stored pack's model with every text blanked, charts as a
    /// one-pixel image).
    /// </summary>
    private static async Task<Probe> FloorAsync(NpgsqlDataSource dataSource, Actor actor, int meetingId, DateOnly today)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (meetingDate, previous) = await conn.QuerySingleAsync<(DateOnly, DateOnly?)>(new CommandDefinition("""
            select m.meeting_date, (select max(p.meeting_date) from meeting p where p.partnership_id = m.partnership_id and p.kind = m.kind and p.meeting_date < m.meeting_date)
            from meeting m where m.partnership_id = @p and m.id = @m
            """, new { p = actor.PartnershipId, m = meetingId }));
        var since = previous ?? meetingDate.AddMonths(-2);
        await ReadAllAsync(conn, ScorecardQueries.Sql, c =>
        {
            c.Parameters.Add(new NpgsqlParameter<int>("PartnershipId", NpgsqlDbType.Integer) { TypedValue = actor.PartnershipId });
            c.Parameters.Add(new NpgsqlParameter<DateOnly>("Today", NpgsqlDbType.Date) { TypedValue = today });
        });
        await ReadAllAsync(conn, """
            select r.agency_id, r.period_id, min(r.submitted_at), count(*)::int from data_return r
            where r.partnership_id = @p and r.status in ('accepted', 'superseded', 'submitted') group by r.agency_id, r.period_id;
            select a.partnership_id, a.meeting_id, a.agency_id, a.attended, a.representative from meeting_attendance a where a.partnership_id = @p and a.meeting_id = @m;
            select i.id, i.position, i.kind, i.source_key, i.title, i.reason, i.link, i.urgency, i.facts::text, i.dropped from agenda_item i where i.partnership_id = @p and i.meeting_id = @m;
            select r.id, r.text from meeting_record r where r.partnership_id = @p and r.meeting_id = @m;
            """, c =>
        {
            c.Parameters.Add(new NpgsqlParameter<int>("p", NpgsqlDbType.Integer) { TypedValue = actor.PartnershipId });
            c.Parameters.Add(new NpgsqlParameter<int>("m", NpgsqlDbType.Integer) { TypedValue = meetingId });
        });
        // The other agenda sources' rows: audits reported, the triangulation's evidence and judgements, risks, plans
        // awaiting sign-off, actions and challenges (each source's own statements).
        await ReadAllAsync(conn, string.Join(";\n", AuditAgendaSource.ReportedSql, TriangulationQueries.EvidenceSql, TriangulationQueries.JudgementSql,
            ImprovementAgendaSource.RisksSql, ActionQueries.AwaitingSignOffSql, ImprovementAgendaSource.ActionsSql, ImprovementAgendaSource.ChallengesSql), c =>
        {
            c.Parameters.Add(new NpgsqlParameter<int>("PartnershipId", NpgsqlDbType.Integer) { TypedValue = actor.PartnershipId });
            c.Parameters.Add(new NpgsqlParameter("ThemeId", NpgsqlDbType.Integer) { Value = DBNull.Value });
            c.Parameters.Add(new NpgsqlParameter("AgencyId", NpgsqlDbType.Integer) { Value = DBNull.Value });
            c.Parameters.Add(new NpgsqlParameter<DateOnly>("since", NpgsqlDbType.Date) { TypedValue = since });
            c.Parameters.Add(new NpgsqlParameter<DateOnly>("meetingDate", NpgsqlDbType.Date) { TypedValue = meetingDate });
        });
        var json = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "select model from meeting_pack where partnership_id = @p and meeting_id = @m order by version desc limit 1", new { p = actor.PartnershipId, m = meetingId }));
        var model = Blank(PackModel.FromJson(json!));
        var bytes = PackDocument.Write(model, _ => OnePixelPng, _ => OnePixelPng);
        return new Probe(model.Items.Count, model.Items.Count(i => i.Chart is not null), bytes.Length);
    }

    private static PackModel Blank(PackModel m) => m with
    {
        PartnershipName = "", MeetingTitle = "",
        Attendance = m.Attendance.Select(a => a with { AgencyName = "", Representative = "" }).ToList(),
        Items = m.Items.Select(i => i with
        {
            Title = "", Reason = "", Section = "",
            Facts = i.Facts.Select(_ => new AgendaFact("", "")).ToList(),
            Table = i.Table is { } t ? t with { Rows = t.Rows.Select(r => (IReadOnlyList<string>)r.Select(_ => "").ToList()).ToList() } : null,
            Records = i.Records.Select(r => r with { Text = "", ItemTitle = "" }).ToList(),
        }).ToList(),
        Log = m.Log.Select(r => r with { Text = "", ItemTitle = "" }).ToList(),
    };

    private static async Task ReadAllAsync(NpgsqlConnection conn, string sql, Action<NpgsqlCommand> parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        parameters(cmd);
        await using var reader = await cmd.ExecuteReaderAsync();
        do
        {
            var values = new object[reader.FieldCount];
            while (await reader.ReadAsync())
                reader.GetValues(values);
        }
        while (await reader.NextResultAsync());
    }

    private static async Task<double[]> InterleavedAsync(Func<Task<Probe>>[] actions)
    {
        await SettleAsync(actions);
        var times = actions.Select(_ => new double[Runs]).ToArray();
        for (var i = 0; i < Runs; i++)
        {
            for (var a = 0; a < actions.Length; a++)
            {
                var sw = Stopwatch.StartNew();
                await actions[a]();
                times[a][i] = sw.Elapsed.TotalMilliseconds;
            }
        }
        return times.Select(t => { Array.Sort(t); return t[t.Length / 2]; }).ToArray();
    }

    /// <summary>
    /// Warm-up until the JIT has settled: at least <see cref="Warmups"/> runs, then batches of 5 until one compiles
    /// fewer than 20 methods (at most 40 batches in all). The pack's document touches thousands of the Open XML SDK's
    /// methods, and tiered compilation postpones their optimisation while others are still being compiled: after 25 runs
    /// a run still took about 80 ms, against 35 ms once settled (about 60 runs), as on a server that has been up a while.
    /// </summary>
    private static async Task SettleAsync(Func<Task<Probe>>[] actions)
    {
        var runs = 0;
        for (var batch = 0; batch < 40; batch++)
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            for (var i = 0; i < 5; i++, runs++)
            {
                foreach (var action in actions)
                    await action();
            }
            var compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
            if (runs >= Warmups && compiled < 20)
                break;
        }
        Progress($"  warm-up: {runs} runs of each");
    }

    private static int PartnershipsArg(IReadOnlyList<string> args)
    {
        var i = args.ToList().IndexOf("--partnerships");
        return i >= 0 && i + 1 < args.Count && int.TryParse(args[i + 1], out var n) && n >= 1 ? n : 150;
    }

    private static async Task<Actor> QaAsync(NpgsqlDataSource dataSource, int partnershipId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var (id, name) = await conn.QuerySingleAsync<(int, string)>(new CommandDefinition(
            "select id, display_name from app_user where partnership_id = @partnershipId and role = 'qa_member' order by id limit 1", new { partnershipId }));
        return new Actor(partnershipId, id, name, Role.QaMember, null);
    }

    private static async Task AnalyzeAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("analyze", conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[meeting] {message}");
}
