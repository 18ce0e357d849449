using System.Globalization;
using Scorecard.Data.Analytics;
using Scorecard.Data.Catalog;

namespace Scorecard.Data.Performance;

/// <summary>
/// How figures are written on the page and in exports (UK English, the measure's decimal places): the one place for it,
/// used by the scorecard, measure and agency pages, the catalogue and the exports.
/// </summary>
public static class FigureFormat
{
    private static readonly CultureInfo Uk = CultureInfo.GetCultureInfo("en-GB");

    public static string Number(decimal? value, int decimalPlaces) =>
        value is { } v ? v.ToString("N" + Math.Clamp(decimalPlaces, 0, 6), Uk) : "";

    /// <summary>A value with its unit: 85.3%, 452.1, 12, 80 days.</summary>
    public static string Value(decimal? value, MeasureUnit unit, int decimalPlaces)
    {
        if (value is null)
            return "";
        var n = Number(value, decimalPlaces);
        return unit switch
        {
            MeasureUnit.Percent => n + "%",
            MeasureUnit.Days => n + " days",
            _ => n,
        };
    }

    /// <summary>A quarter's figure as the viewer may see it: "fewer than 5" when hidden (a word, never "&lt;5%"), "Missing" when due and absent.</summary>
    public static string Figure(QuarterFigure figure, ScorecardMeasure measure)
    {
        if (figure.Suppressed)
            return SpcWords.FewerThanFive;
        if (figure.Value is null)
            return figure.IsDue ? "Missing" : "Awaited";
        return Value(figure.Value, measure.Unit, measure.DecimalPlaces);
    }

    /// <summary>One agency's figure for a quarter: "Missing" or "Awaited" when not received, "fewer than 5" when hidden.</summary>
    public static string Agency(AgencyFigure figure, ScorecardMeasure measure) =>
        figure.Status != FigureStatus.Received ? (figure.Status == FigureStatus.Missing ? "Missing" : "Awaited")
        : figure.Suppressed ? SpcWords.FewerThanFive
        : Value(figure.Value, measure.Unit, measure.DecimalPlaces);

    public static string Change(decimal? change, MeasureUnit unit, int decimalPlaces)
    {
        if (change is not { } c)
            return "";
        var sign = c > 0 ? "+" : c < 0 ? "−" : "±";
        var n = Number(Math.Abs(c), decimalPlaces);
        return sign + n + (unit == MeasureUnit.Percent ? " pts" : "");
    }
}
