-- Runs the C unit tests of the core plumbing (DER, PEM, UTF-8, IP text, AlgorithmIdentifiers).
local helpers = require "helpers"

describe("C core unit tests", function()
  it("pass (make core-test)", function()
    local ok, out = helpers.run("cd " .. helpers.shellquote(helpers.root) ..
                                " && make -s core-test BUILDDIR=build/core-test")
    local summary = out:match("(%d+ passed, %d+ failed)")
    assert.is_truthy(summary, out)
    assert.is_true(ok, out)
    assert.matches("^%d+ passed, 0 failed$", summary)
  end)
end)
