using System.Net.Http.Headers;
using System.Text;

namespace GitOps.Build.Tests.Forge.Contracts;

/// <summary>ContractForm reads form bodies as .NET's HttpClient writes them, byte for byte, and refuses what is not a form.</summary>
[TestClass]
public sealed class ContractFormTests
{
    [TestMethod]
    public async Task A_multipart_body_gives_its_fields_and_files_with_their_exact_bytes_and_parameters()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'\r', (byte)'\n', 0x00, 0xFF, (byte)'-', (byte)'-'];
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("Deploy\r\n\r\nGitOps-Image: x"), "\"message\"");
        var file = new ByteArrayContent(bytes);
        var disposition = new ContentDispositionHeaderValue("form-data") { Name = "\"apps/web/run.sh\"", FileName = "\"run.sh\"" };
        disposition.Parameters.Add(new NameValueHeaderValue("x-attributes", "\"executable\""));
        file.Headers.ContentDisposition = disposition;
        form.Add(file);

        var fields = ContractForm.Parse(form.Headers.ContentType!.ToString(), await form.ReadAsByteArrayAsync());

        Assert.AreEqual(2, fields.Count);
        Assert.AreEqual("Deploy\r\n\r\nGitOps-Image: x", fields[0].Text);
        Assert.IsFalse(fields[0].IsFile);
        Assert.AreEqual("apps/web/run.sh", fields[1].Name);
        Assert.AreEqual("run.sh", fields[1].FileName);
        Assert.AreEqual("executable", fields[1].Parameters["x-attributes"]);
        CollectionAssert.AreEqual(bytes, fields[1].Content);
    }

    [TestMethod]
    public void A_url_encoded_body_gives_its_fields_decoded()
    {
        var fields = ContractForm.Parse("application/x-www-form-urlencoded", Encoding.ASCII.GetBytes("message=a+b%26c&%2Fpath%2Fme.txt=Lorem"));

        Assert.AreEqual("a b&c", fields[0].Text);
        Assert.AreEqual("/path/me.txt", fields[1].Name);
        Assert.AreEqual("""{"message":"a b\u0026c","/path/me.txt":"Lorem"}""", ContractForm.AsObject(fields).ToJsonString());
    }

    [TestMethod]
    public void A_body_that_is_not_a_form_of_its_type_is_refused()
    {
        Assert.ThrowsExactly<FormatException>(() => ContractForm.Parse("multipart/form-data", Encoding.ASCII.GetBytes("x")), "no boundary");
        Assert.ThrowsExactly<FormatException>(() => ContractForm.Parse("multipart/form-data; boundary=b", Encoding.ASCII.GetBytes("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--")),
            "a part without Content-Disposition");
        Assert.ThrowsExactly<FormatException>(() => ContractForm.Parse("multipart/form-data; boundary=b", Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx")),
            "no closing boundary");
    }
}
