namespace Scorecard.Data.Common;

/// <summary>A file the app hands to someone: a template, an export, the original of a return.</summary>
public sealed record FileDownload(string FileName, byte[] Bytes);
