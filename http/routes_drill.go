package http

// drillRoutes are the drill pages and API.
func (s *Server) drillRoutes() []route { return nil }

// drillMessages are their UI strings.
var drillMessages = map[string][2]string{}
