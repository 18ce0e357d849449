namespace Scorecard.Data.Demo;

// Temporary: replaced by the real generator being written in parallel.
public static class DemoGenerator
{
    public const int DefaultSeed = 20190629;

    public static DemoPartnership Generate(int seed = DefaultSeed) => throw new InvalidOperationException("generator not yet delivered");
}
