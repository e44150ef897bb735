using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Serverless.AutoMl.Training;

namespace Serverless.AutoMl.Forecasting;

/// <summary>What a fitted model keeps besides an ML.NET model: per-series smoothing or ARIMA states.</summary>
internal sealed record MemberState(ForecastMethod Method, IReadOnlyList<EtsState>? Ets = null, IReadOnlyList<ArimaState>? Arima = null);

/// <summary>A model fitted on every series' history, forecasting from the end of each.</summary>
internal interface IFittedForecaster
{
    /// <summary>
    /// The next steps of series seriesIndex after history, which must end where the fitted history of that series ended.
    /// knownFuture holds each known column's values for those steps.
    /// </summary>
    double[] Forecast(int seriesIndex, SeriesData history, int steps, IReadOnlyDictionary<string, double[]> knownFuture);

    MemberState State { get; }

    /// <summary>The ML.NET model as a zip, for models that have one.</summary>
    byte[]? ModelBytes { get; }
}

internal static class ForecastModels
{
    public static IFittedForecaster Fit(ForecastMethod method, IReadOnlyList<SeriesData> histories, ForecastContext context, CancellationToken ct) =>
        method switch
        {
            SeasonalNaiveMethod naive => new SeasonalNaiveForecaster(naive),
            ExponentialSmoothingMethod ets => new EtsForecaster(ets,
                [.. histories.Select(h => { ct.ThrowIfCancellationRequested(); return ExponentialSmoothing.Fit(h.Values, ets, context.Period); })]),
            ArimaMethod arima => new ArimaForecaster(arima,
                [.. histories.Select(h => { ct.ThrowIfCancellationRequested(); return Arima.Fit(h.Values, arima, context.Period); })]),
            TreeRegressionMethod trees => TreeForecaster.Fit(trees, histories, context, ct),
            _ => throw new ArgumentException($"Unknown method {method.GetType().Name}.", nameof(method)),
        };

    /// <summary>A model as a package stored it.</summary>
    public static IFittedForecaster Restore(MemberState state, byte[]? modelBytes, ForecastContext context) => state.Method switch
    {
        SeasonalNaiveMethod naive => new SeasonalNaiveForecaster(naive),
        ExponentialSmoothingMethod ets => new EtsForecaster(ets, state.Ets ?? throw new InvalidDataException("An ETS member has no states.")),
        ArimaMethod arima => new ArimaForecaster(arima, state.Arima ?? throw new InvalidDataException("An ARIMA member has no states.")),
        TreeRegressionMethod trees => TreeForecaster.Load(trees, modelBytes ?? throw new InvalidDataException("A tree member has no model."), context),
        _ => throw new InvalidDataException($"Unknown method {state.Method.GetType().Name}."),
    };

    /// <summary>The value one period before the forecast time, from the last period of history (naive with less history).</summary>
    public static double SeasonalNaive(IReadOnlyList<double> history, int period, int step)
    {
        var p = history.Count >= period ? Math.Max(1, period) : 1;
        return history[history.Count - 1 + step - p * ((step + p - 1) / p)];
    }
}

internal sealed class SeasonalNaiveForecaster(SeasonalNaiveMethod method) : IFittedForecaster
{
    public MemberState State => new(method);
    public byte[]? ModelBytes => null;

    public double[] Forecast(int seriesIndex, SeriesData history, int steps, IReadOnlyDictionary<string, double[]> knownFuture) =>
        [.. Enumerable.Range(1, steps).Select(h => ForecastModels.SeasonalNaive(history.Values, method.Period, h))];
}

internal sealed class EtsForecaster(ExponentialSmoothingMethod method, IReadOnlyList<EtsState> states) : IFittedForecaster
{
    public MemberState State => new(method, states);
    public byte[]? ModelBytes => null;

    /// <summary>The smoothing state already sits at the end of the fitted history, so history is not re-read.</summary>
    public double[] Forecast(int seriesIndex, SeriesData history, int steps, IReadOnlyDictionary<string, double[]> knownFuture) =>
        ExponentialSmoothing.Forecast(states[seriesIndex], steps);
}

internal sealed class ArimaForecaster(ArimaMethod method, IReadOnlyList<ArimaState> states) : IFittedForecaster
{
    public MemberState State => new(method, Arima: states);
    public byte[]? ModelBytes => null;

    /// <summary>The state holds the last values and residuals of the fitted history, so history is not re-read.</summary>
    public double[] Forecast(int seriesIndex, SeriesData history, int steps, IReadOnlyDictionary<string, double[]> knownFuture) =>
        Arima.Forecast(states[seriesIndex], steps);
}

/// <summary>A LightGbm or FastTree regressor over every series' features; direct or recursive over the steps.</summary>
internal sealed class TreeForecaster : IFittedForecaster
{
    /// <summary>Training rows kept (the most recent origins): more adds time, not accuracy, on a few cores.</summary>
    private const int MaxRows = 60_000;

    private readonly TreeRegressionMethod _method;
    private readonly SeriesFeatures _features;
    private readonly PredictionEngine<FeatureRow, ScoreRow> _engine;
    private readonly Lock _engineLock = new();

    private TreeForecaster(TreeRegressionMethod method, ForecastContext context, MLContext ml, ITransformer model, byte[] bytes)
    {
        _method = method;
        _features = new SeriesFeatures(method, context);
        _engine = ml.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(model, inputSchemaDefinition: Schema(_features.Width));
        ModelBytes = bytes;
    }

    public MemberState State => new(_method);
    public byte[]? ModelBytes { get; }

    public static TreeForecaster Fit(TreeRegressionMethod method, IReadOnlyList<SeriesData> histories, ForecastContext context, CancellationToken ct)
    {
        var features = new SeriesFeatures(method, context);
        var rows = TrainingRows(features, histories, context).ToList();
        if (rows.Count == 0) throw new InvalidOperationException("The series are too short for these features.");
        var ml = new MLContext(context.Seed);
        using var registration = Cancellation.Link(ml, ct);
        var data = ml.Data.LoadFromEnumerable(rows, Schema(features.Width));
        var trainer = method.Learner == TreeLearner.LightGbm
            ? (IEstimator<ITransformer>)ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
            {
                NumberOfLeaves = method.Leaves, NumberOfIterations = method.Trees, LearningRate = method.LearningRate,
                MinimumExampleCountPerLeaf = method.MinLeafCount, NumberOfThreads = 1, Seed = context.Seed, Silent = true,
            })
            : ForcedCollections.Off(ml.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options
            {
                NumberOfLeaves = Math.Max(2, method.Leaves), NumberOfTrees = method.Trees, LearningRate = method.LearningRate,
                MinimumExampleCountPerLeaf = method.MinLeafCount, NumberOfThreads = 1, Seed = context.Seed,
            }));
        var model = trainer.Fit(ml.Data.Cache(data));
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        return new TreeForecaster(method, context, ml, model, stream.ToArray());
    }

    public static TreeForecaster Load(TreeRegressionMethod method, byte[] bytes, ForecastContext context)
    {
        var ml = new MLContext(context.Seed);
        using var stream = new MemoryStream(bytes);
        return new TreeForecaster(method, context, ml, ml.Model.Load(stream, out _), bytes);
    }

    /// <summary>Rows (origin, step) whose target lies in the history, the most recent origins first to fit the cap.</summary>
    private static IEnumerable<FeatureRow> TrainingRows(SeriesFeatures features, IReadOnlyList<SeriesData> histories, ForecastContext context)
    {
        var steps = features.StepsPerOrigin;
        var originsPerSeries = Math.Max(1, MaxRows / (histories.Count * steps));
        for (var s = 0; s < histories.Count; s++)
        {
            var series = histories[s];
            var first = Math.Max(Math.Min(features.Lookback - 1, series.Length / 2), series.Length - 1 - originsPerSeries);
            for (var origin = first; origin < series.Length - 1; origin++)
            {
                var history = History.Of(series, origin + 1);
                var level = features.Level(history);
                for (var step = 1; step <= steps && origin + step < series.Length; step++)
                {
                    var target = origin + step;
                    var known = context.Known.ToDictionary(k => k, k => series.Covariates[k][target]);
                    yield return new FeatureRow
                    {
                        Label = (float)features.Normalize(series.Values[target], level),
                        Features = features.Build(history, s, series.StartIndex + origin, step, known),
                    };
                }
            }
        }
    }

    /// <summary>
    /// Forecasts block by block: a direct model covers up to the horizon from one origin, a recursive one a step; past
    /// the block its own forecasts become history, and past-only covariates keep their last value.
    /// </summary>
    public double[] Forecast(int seriesIndex, SeriesData history, int steps, IReadOnlyDictionary<string, double[]> knownFuture)
    {
        var values = new List<double>(history.Values);
        double Covariate(string column, int i) => history.Covariates[column][Math.Min(i, history.Length - 1)];
        var forecast = new double[steps];
        for (var done = 0; done < steps;)
        {
            var view = new History(values, values.Count, Covariate);
            var level = _features.Level(view);
            var block = Math.Min(_features.StepsPerOrigin, steps - done);
            for (var step = 1; step <= block; step++)
            {
                var known = knownFuture.ToDictionary(k => k.Key, k => k.Value[done + step - 1]);
                var row = new FeatureRow { Features = _features.Build(view, seriesIndex, history.StartIndex + values.Count - 1, step, known) };
                float score;
                lock (_engineLock) score = _engine.Predict(row).Score;
                forecast[done + step - 1] = _features.Denormalize(score, level);
            }
            values.AddRange(forecast.Skip(done).Take(block));
            done += block;
        }
        return forecast;
    }

    private static SchemaDefinition Schema(int width)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    private sealed class FeatureRow
    {
        public float Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
