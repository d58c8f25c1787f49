package io.rewardgate.api.jobs;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.rewardgate.api.ApiSecurity;
import io.rewardgate.api.Paths;
import io.rewardgate.jobs.Batches;
import io.rewardgate.jobs.FileStore;
import io.rewardgate.jobs.JobsException;
import io.rewardgate.jobs.StoredFile;
import io.rewardgate.problem.OpenAiError;
import io.rewardgate.security.ApiKeyFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenAI's Files API, for the Batch API's input and output files: uploads go to disk as they arrive, within
 * the file limits ({@link UploadGate}), and are checked there; contents are served from disk. With client keys,
 * each key sees only its own files.
 */
@Path(FileResource.PATH)
@SecurityRequirementsSet({})
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.BEARER_SCHEME))
@SecurityRequirementsSet(@SecurityRequirement(name = ApiSecurity.API_KEY_SCHEME))
@Tag(name = "Files")
public class FileResource {

    public static final String PATH = Paths.FILES;

    private final FileStore files;
    private final Batches batches;

    @Inject
    public FileResource(FileStore files, Batches batches) {
        this.files = files;
        this.batches = batches;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createFile", summary = "Upload a JSONL file of batch requests",
            description = "Multipart form with file and purpose=batch. The file must be JSONL: each non-blank line a "
                    + "JSON object of at most rewardgate.limits.max-body bytes, at most rewardgate.jobs.max-file-lines "
                    + "of them, and at most rewardgate.jobs.max-file-bytes in all.")
    @APIResponse(responseCode = "200", description = "The stored file.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FileObject.class)))
    @APIResponse(responseCode = "400", description = "No file, a purpose other than batch, a file that is not JSONL, "
            + "empty, or with a line or a line count over the limits.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "413", description = "A file over rewardgate.jobs.max-file-bytes (an upload sent without a "
            + "length stops being read there), or one that would take the key over rewardgate.jobs.max-stored-bytes-per-key "
            + "or all keys over rewardgate.jobs.max-stored-bytes.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "429", description = "The key has rewardgate.jobs.max-uploads-in-flight uploads under way.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "503", description = "Files cannot be stored now: the jobs volume is below "
            + "rewardgate.jobs.min-free-space, or fails.",
            headers = @Header(name = "Retry-After", description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public FileObject upload(
            @RestForm("file") @Schema(type = SchemaType.STRING, format = "binary") FileUpload file,
            @RestForm("purpose") @Schema(enumeration = "batch") String purpose,
            @Context RoutingContext context) {
        if (file == null) {
            throw new JobsException(JobsException.Kind.INVALID, "file is required: a JSONL file as a multipart part.",
                    "file");
        }
        if (purpose == null) {
            throw new JobsException(JobsException.Kind.INVALID, "purpose is required, and must be 'batch'.", "purpose");
        }
        return FileObject.of(files.upload(file.uploadedFile(), file.fileName(), purpose, ApiKeyFilter.client(context)));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "listFiles", summary = "List files, newest first")
    @APIResponse(responseCode = "200", description = "A page of files.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FileObject.Page.class)))
    @APIResponse(responseCode = "400", description = "A limit out of range, or an after that names no file.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public FileObject.Page list(
            @RestQuery @Parameter(description = "Only files of this purpose.") String purpose,
            @RestQuery @Parameter(description = "1 to 10000; 10000 by default.") Integer limit,
            @RestQuery @Parameter(description = "The id of the last file of the previous page.") String after,
            @Context RoutingContext context) {
        List<StoredFile> all = files.list(ApiKeyFilter.client(context), purpose);
        Pages.Page<StoredFile> page = Pages.of(all, after, limit, 10_000, 10_000, StoredFile::id);
        List<FileObject> data = new ArrayList<>();
        page.items().forEach(f -> data.add(FileObject.of(f)));
        return new FileObject.Page("list", data, data.isEmpty() ? null : data.get(0).id(),
                data.isEmpty() ? null : data.get(data.size() - 1).id(), page.hasMore());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "retrieveFile", summary = "Describe a file")
    @APIResponse(responseCode = "200", description = "The file.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FileObject.class)))
    @APIResponse(responseCode = "404", description = "No such file, or not this key's.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public FileObject retrieve(@RestPath String id, @Context RoutingContext context) {
        return FileObject.of(files.require(id, ApiKeyFilter.client(context)));
    }

    @GET
    @Path("{id}/content")
    // No @Produces: OpenAI's SDKs ask for application/binary, which no writer knows; the type is set below.
    @Operation(operationId = "downloadFile", summary = "Download a file's content",
            description = "The JSONL as stored: an uploaded input, or a batch's output or errors.")
    @APIResponse(responseCode = "200", description = "The content.",
            content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM,
                    schema = @Schema(type = SchemaType.STRING, format = "binary")))
    @APIResponse(responseCode = "404", description = "No such file, or not this key's.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public RestResponse<File> content(@RestPath String id, @Context RoutingContext context) {
        StoredFile file = files.require(id, ApiKeyFilter.client(context));
        return RestResponse.ResponseBuilder.ok(files.content(file.id()).toFile())
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + file.id() + ".jsonl\"")
                .build();
    }

    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "deleteFile", summary = "Delete a file")
    @APIResponse(responseCode = "200", description = "The file is deleted.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = FileObject.Deleted.class)))
    @APIResponse(responseCode = "400", description = "The file is the input of a batch that has not ended.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    @APIResponse(responseCode = "404", description = "No such file, or not this key's.",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenAiError.class)))
    public FileObject.Deleted delete(@RestPath String id, @Context RoutingContext context) {
        if (!batches.deleteFile(id, ApiKeyFilter.client(context))) {
            throw JobsException.notFound("file", id);
        }
        return new FileObject.Deleted(id, "file", true);
    }
}
