using System.Globalization;

namespace Serverless.AutoMl;

/// <summary>
/// Numbers the engine keeps in single precision (training values, their medians and ranges) written as the shortest
/// text that reads back as the same float: 13.05, not the 13.050000190734863 the float is as a double.
/// </summary>
public static class SinglePrecision
{
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The double the float's shortest text means: 13.05f becomes 13.05.</summary>
    public static double Widen(float value) => double.Parse(Format(value), CultureInfo.InvariantCulture);

    /// <summary>A number stored from a float as a double (older model packages): its shortest float text; any other text as it is.</summary>
    public static string? Tidy(string? text) =>
        text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && IsFloat(number)
            ? Format((float)number)
            : text;

    public static double? Tidy(double? number) => number is { } value && IsFloat(value) ? Widen((float)value) : number;

    /// <summary>The schema with its numeric columns' defaults and ranges tidied; predictions read the same floats from it.</summary>
    public static ModelSchema Tidy(ModelSchema schema) => schema with
    {
        Columns = schema.Columns.Select(c => c.Kind == ColumnKind.Numeric
            ? c with { Default = Tidy(c.Default), Min = Tidy(c.Min), Max = Tidy(c.Max) }
            : c).ToArray(),
    };

    /// <summary>Exactly a float: a double made from one. A number that is not (0.1 typed as a double) keeps its digits.</summary>
    private static bool IsFloat(double number) => double.IsFinite(number) && (double)(float)number == number;
}
