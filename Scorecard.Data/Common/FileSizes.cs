using System.Globalization;

namespace Scorecard.Data.Common;

/// <summary>How a file's size is written for people: "512 bytes", "12.3 KB", "4.5 MB" (1 KB = 1,024 bytes).</summary>
public static class FileSizes
{
    public static string Describe(long bytes) => bytes switch
    {
        < 1024 => bytes == 1 ? "1 byte" : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024d / 1024d:0.#} MB"),
    };
}
