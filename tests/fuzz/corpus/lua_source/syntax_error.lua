local M = {
function M.run( end
