package dev.imdbstream.trainer.api;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

import dev.imdbstream.trainer.api.ExperimentViews.Created;
import dev.imdbstream.trainer.api.ExperimentViews.Detail;
import dev.imdbstream.trainer.api.ExperimentViews.Summary;
import dev.imdbstream.trainer.report.ReportService;

/**
 * The experiments API:
 * <ul>
 * <li>{@code POST /experiments}: publishes one job per run to training.jobs; 202 with the experiment id</li>
 * <li>{@code DELETE /experiments/{id}}: cancels the experiment (its runs not finished stop or never start); 202</li>
 * <li>{@code GET /experiments}: every experiment with its run counts</li>
 * <li>{@code GET /experiments/{id}}: runs (state, epoch, latest metrics, results) and the results table</li>
 * <li>{@code GET /experiments/{id}/report}: the HTML report; its files under {@code /report/{file}}</li>
 * </ul>
 * {@code POST} and {@code DELETE} need an authenticated caller ({@code quarkus.http.auth.permission.experiments-write},
 * {@link ApiTokenAuthentication}); a request without a valid token gets 401 before it reaches this class.
 */
@Path("/experiments")
@Blocking
public class ExperimentResource {

    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");
    private static final Map<String, String> TYPES = Map.of("png", "image/png", "html", "text/html; charset=utf-8",
            "md", "text/markdown; charset=utf-8", "csv", "text/csv; charset=utf-8", "json", MediaType.APPLICATION_JSON);

    private final ExperimentService experiments;
    private final ReportService reports;
    private final SecurityIdentity caller;

    public ExperimentResource(ExperimentService experiments, ReportService reports, SecurityIdentity caller) {
        this.experiments = experiments;
        this.reports = reports;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(ExperimentRequest request) {
        try {
            Created created = experiments.create(request, callerName());
            return Response.accepted(created).header("Location", "/experiments/" + created.experimentId()).build();
        } catch (ExperimentService.BadRequest e) {
            return error(Response.Status.BAD_REQUEST, e.getMessage());
        } catch (ExperimentService.Conflict e) {
            return error(Response.Status.CONFLICT, e.getMessage());
        }
    }

    @DELETE
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response cancel(@PathParam("id") String id) {
        try {
            return Response.accepted(experiments.cancel(id, callerName())).build();
        } catch (ExperimentService.NotFound e) {
            return error(Response.Status.NOT_FOUND, e.getMessage());
        }
    }

    /** The authenticated caller; {@code anonymous} where writes are open ({@code trainer.api.auth=permit}). */
    private String callerName() {
        return caller.isAnonymous() ? "anonymous" : caller.getPrincipal().getName();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Summary> list() {
        return experiments.list();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Detail get(@PathParam("id") String id) {
        return experiments.detail(id).orElseThrow(() -> new NotFoundException("no experiment " + id));
    }

    @GET
    @Path("/{id}/report")
    @Produces(MediaType.TEXT_HTML)
    public Response report(@PathParam("id") String id) throws IOException {
        return file(id, "index.html");
    }

    @GET
    @Path("/{id}/report/{file}")
    public Response reportFile(@PathParam("id") String id, @PathParam("file") String file) throws IOException {
        return file(id, file);
    }

    private Response file(String id, String name) throws IOException {
        if (!FILE.matcher(name).matches()) {
            throw new NotFoundException();
        }
        java.nio.file.Path folder = reports.report(id).orElseThrow(() -> new NotFoundException("no experiment " + id));
        java.nio.file.Path file = folder.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new NotFoundException("no report file " + name);
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        String body = name.equals("index.html") ? rebase(Files.readString(file), id) : null;
        return Response.ok(body != null ? body : Files.readAllBytes(file))
                .type(TYPES.getOrDefault(extension, MediaType.APPLICATION_OCTET_STREAM)).build();
    }

    /** The page is served at /report (no trailing slash), so its relative links need the folder. */
    private static String rebase(String html, String id) {
        String base = "/experiments/" + id + "/report/";
        return html.replace("<head>", "<head><base href=\"" + base + "\">");
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
