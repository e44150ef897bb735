using System.Text.Json;
using Serverless.AutoMl;

namespace Serverless.Chain.Tests.QuestionSets;

/// <summary>
/// The question sets run on the schemas the AutoML engine's Prepare infers from the real files (names, kinds, values,
/// ranges, dropped columns), committed as JSON so the evaluation needs neither the data nor any training.
/// Regenerate them with <c>CHAIN_QUESTION_DATASETS=/work/shared/datasets dotnet test --filter Regenerates</c>, after
/// <c>python3 data/questions/make-probe-datasets.py "$CHAIN_QUESTION_DATASETS"</c> and
/// <c>python3 data/questions/make-probe2-datasets.py "$CHAIN_QUESTION_DATASETS"</c> and
/// <c>python3 data/questions/make-probe3-datasets.py "$CHAIN_QUESTION_DATASETS"</c> for the probe sets; a dataset whose file
/// is not in the folder keeps its committed schema, so one probe can be regenerated alone.
/// </summary>
public sealed class QuestionSetSchemas
{
    public static readonly (string Name, string File, string Label)[] Datasets =
    [
        ("attrition", "suite/attrition-train.csv", "Attrition"),
        ("lending-club", "suite/lending-club-train.csv", "Class"),
        ("sacramento", "suite/sacramento-train.csv", "price"),
        ("stackoverflow", "suite/stackoverflow-train.csv", "Remote"),
        ("pima", "suite/pima-train.csv", "diabetes"),
        ("biomass", "suite/biomass-train.csv", "HHV"),
        ("penguins", "penguins.csv", "species"),
        ("car-prices", "suite/car-prices-train.csv", "Price"),
        ("adult", "adult.csv", "over50k"),
        ("chicago", "suite/chicago-train.csv", "ridership"),
        // Written into the folder by data/questions/make-probe-datasets.py.
        ("probe-wine", "probe/wine.csv", "cultivar"),
        ("probe-diabetes", "probe/diabetes.csv", "progression"),
        ("probe-cancer", "probe/cancer.csv", "diagnosis"),
        ("probe-iris", "probe/iris.csv", "species"),
        ("probe-heart", "probe/heart.csv", "heart_disease"),
        ("probe-homes", "probe/homes.csv", "SalePrice"),
        ("probe-staff", "probe/staff.csv", "left_company"),
        // Written into the folder by data/questions/make-probe2-datasets.py.
        ("probe2-insurance", "probe2/insurance.csv", "charges"),
        ("probe2-hotel", "probe2/hotel.csv", "is_canceled"),
        ("probe2-used-cars", "probe2/used-cars.csv", "price"),
        ("probe2-students", "probe2/students.csv", "FinalGrade"),
        // Written into the folder by data/questions/make-probe3-datasets.py.
        ("probe3-clinic", "probe3/clinic.csv", "readmitted_30d"),
        ("probe3-telecom", "probe3/telecom.csv", "CHURN"),
        ("probe3-orders", "probe3/orders.csv", "Returned"),
        ("probe3-hr", "probe3/hr.csv", "LeftCompany"),
        ("probe3-energy", "probe3/energy.csv", "annual_kwh"),
    ];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data", "questions");

    public static ModelSchema Load(string dataset) =>
        JsonSerializer.Deserialize<ModelSchema>(File.ReadAllText(Path.Combine(Folder, "schemas", dataset + ".json")), Json)!;

    [SkippableFact]
    public void Regenerates_the_schemas_from_the_datasets()
    {
        var root = Environment.GetEnvironmentVariable("CHAIN_QUESTION_DATASETS");
        Skip.If(root is null, "CHAIN_QUESTION_DATASETS (the folder of the dataset files) is not set");
        var target = Path.Combine(SourceFolder(), "data", "questions", "schemas");
        Directory.CreateDirectory(target);
        foreach (var (name, file, label) in Datasets.Where(d => File.Exists(Path.Combine(root, d.File))))
        {
            var work = Path.Combine(Path.GetTempPath(), "question-schemas-" + Guid.NewGuid().ToString("N"));
            var profile = new AutoMlEngine().Prepare(Path.Combine(root, file), new TrainingSpec { Label = label }, work);
            Directory.Delete(work, recursive: true);
            File.WriteAllText(Path.Combine(target, name + ".json"), JsonSerializer.Serialize(profile.Schema, Json) + "\n");
        }
    }

    /// <summary>The test project's source folder (the schemas are committed there, not in bin/).</summary>
    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
