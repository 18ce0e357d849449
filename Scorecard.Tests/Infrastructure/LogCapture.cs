using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Scorecard.Tests.Infrastructure;

/// <summary>Keeps the app's log lines (warning and above) so a test can wait for something the app says it did.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Waits (polling, up to <paramref name="timeout"/>) until a line containing <paramref name="text"/> has been logged.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                return line;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"The app did not log \"{text}\" within {timeout.TotalSeconds} s. It logged:\n{string.Join('\n', lines.TakeLast(20))}");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner.lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }
}
