using Scorecard.Bench;

// Measures speed as ratios against a floor measured in the same run on the same machine, so the
// figures mean the same on a laptop and a CI runner. Each figure is printed as `figure <name> <value>`.
var suites = new Dictionary<string, Func<BenchContext, Task>>(StringComparer.OrdinalIgnoreCase)
{
    // Each issue's suite registers itself here: ["name"] = XSuite.RunAsync,
    ["scorecard"] = ScorecardSuite.RunAsync,
    ["returns"] = ReturnsSuite.RunAsync,
    ["hostile"] = HostileSuite.RunAsync,
    ["backup"] = BackupSuite.RunAsync,
    ["faults"] = FaultsSuite.RunAsync,
    ["circuits"] = CircuitsSuite.RunAsync,
    ["evidence"] = EvidenceSuite.RunAsync,
    ["meeting"] = MeetingSuite.RunAsync,
    ["triangulation"] = TriangulationSuite.RunAsync,
};

if (args.Length == 0 || !suites.TryGetValue(args[0], out var suite))
{
    Console.Error.WriteLine($"usage: dotnet run -c Release --project Scorecard.Bench -- <{string.Join('|', suites.Keys)}>");
    return 2;
}

await using var context = await BenchContext.StartAsync(args.Skip(1).ToArray());
await suite(context);
return 0;
