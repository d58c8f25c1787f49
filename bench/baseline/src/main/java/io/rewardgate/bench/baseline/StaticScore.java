package io.rewardgate.bench.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.NonBlocking;

/** Answers a real score response on the event loop: as bytes, or parsed and written again by Jackson. */
@jakarta.ws.rs.Path("/v1")
public class StaticScore {

    /** The fields a score request carries, bound by Jackson as rewardgate binds its own. */
    public record ScoreRequest(String prompt, String response) {}

    private final byte[] body;
    private final JsonNode tree;

    StaticScore(@ConfigProperty(name = "baseline.body-file") Path bodyFile, ObjectMapper mapper) throws IOException {
        this.body = Files.readAllBytes(bodyFile);
        this.tree = mapper.readTree(body);
    }

    /** The framework's floor: the request body read, the answer's bytes written. */
    @POST
    @jakarta.ws.rs.Path("/scores")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] score(byte[] request) {
        return body;
    }

    /** The same with JSON both ways: the request bound to a record, the answer serialized from a tree. */
    @POST
    @jakarta.ws.rs.Path("/scores-json")
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public JsonNode scoreJson(ScoreRequest request) {
        return tree;
    }
}
